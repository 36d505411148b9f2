// Pod networking inside Moor's own VPC network namespace. The VPC namespace holds one bridge per
// subnet (gateway .1, forwarding between them) and no way out; each pod gets a network namespace
// of its own, wired to its subnet's bridge by Debian's CNI bridge plugin run with the VPC
// namespace as its "host" side. No 10.42 address or route ever exists in the host namespace.
//
// Fargate pods get the address the scheduler chose (static IPAM: the pod IP is the node IP);
// node-group pods get one from their subnet's node-group range (host-local IPAM; see addressRanges).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addressRanges, embeddedVpc, ipToNumber, numberToIp, type Subnet } from "../../domain/network/mod.js";
import { invalid, quote } from "../../errors/mod.js";
import { command, isProcessRunning } from "../../engines/command/mod.js";

const cniPath = "/usr/lib/cni";
const netnsDir = "/run/netns";
/** One file per data directory with namespaces on this machine, naming that directory. */
const ownersDir = "/run/moor/owners";

export interface PodAddress {
  ip: string;
  subnet: Subnet;
}

export class VpcNetwork {
  readonly namespace: string;
  readonly subnets: Subnet[];
  /** The VPC's DNS address (base + 2), as on AWS; nothing answers there yet. */
  readonly resolver: string;
  readonly digest: string;
  private readonly prefix: string;
  private readonly home: string;
  private readonly ipamDir: string;
  private ready: Promise<void> | undefined;

  constructor(home: string, region: string) {
    const digest = createHash("sha256").update(home).digest("hex").slice(0, 8);
    this.digest = digest;
    this.home = home;
    this.namespace = `moor-vpc-${digest}`;
    this.prefix = `moor-${digest}`;
    const vpc = embeddedVpc(region);
    this.subnets = vpc.subnets;
    this.resolver = numberToIp(ipToNumber(vpc.cidrBlock.split("/")[0]!) + 2);
    this.ipamDir = join(home, "agent", "ipam");
  }

  namespacePath(name: string): string {
    return join(netnsDir, name);
  }

  podNamespace(podUid: string): string {
    return `${this.prefix}-${podUid.replace(/-/g, "").slice(0, 12)}`;
  }

  subnetOf(ip: string): Subnet | undefined {
    const value = ipToNumber(ip);
    return this.subnets.find((subnet) => value >= subnet.firstHost && value <= subnet.lastHost);
  }

  subnetOfZone(zone: string | undefined): Subnet {
    return this.subnets.find((subnet) => subnet.availabilityZone === zone) ?? this.subnets[0]!;
  }

  /** Creates the VPC namespace and its bridges once; cheap to call again. */
  ensureVpc(): Promise<void> {
    this.ready ??= this.createVpc().catch((error) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async createVpc(): Promise<void> {
    mkdirSync(ownersDir, { recursive: true });
    writeFileSync(join(ownersDir, this.digest), `${this.home}\n${process.pid}\n`);
    if (!existsSync(this.namespacePath(this.namespace))) await command("ip", ["netns", "add", this.namespace]);
    const inVpc = (args: string[]) => command("ip", ["-n", this.namespace, ...args], { allowFailure: true });
    await inVpc(["link", "set", "lo", "up"]);
    for (const [index, subnet] of this.subnets.entries()) {
      const bridge = bridgeName(index);
      const prefixLength = subnet.cidrBlock.split("/")[1]!;
      // Made here, not by the plugin: its bridge-MAC step fails on this kernel for a new bridge.
      await inVpc(["link", "add", bridge, "type", "bridge"]);
      await inVpc(["addr", "replace", `${gateway(subnet)}/${prefixLength}`, "dev", bridge]);
      await inVpc(["link", "set", bridge, "up"]);
    }
    await command("ip", ["netns", "exec", this.namespace, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
  }

  /** Gives the pod's namespace (created here) its interface and address. */
  async attach(podUid: string, subnet: Subnet, staticIp: string | undefined): Promise<PodAddress> {
    await this.ensureVpc();
    const name = this.podNamespace(podUid);
    if (!existsSync(this.namespacePath(name))) await command("ip", ["netns", "add", name]);
    await command("ip", ["-n", name, "link", "set", "lo", "up"]);
    const config = this.pluginConfig(subnet, staticIp);
    let result = await this.plugin("ADD", podUid, name, config, true);
    if (result.code !== 0) {
      // A half-done earlier attempt (the agent died in between) leaves an interface behind.
      await this.plugin("DEL", podUid, name, config, true);
      result = await this.plugin("ADD", podUid, name, config, false);
    }
    const reply = JSON.parse(result.stdout) as { ips?: { address: string }[] };
    const ip = reply.ips?.[0]?.address.split("/")[0];
    if (!ip) throw invalid(`Cannot wire pod ${quote(podUid)}: the CNI bridge plugin returned no address`);
    // The interface's MAC follows from its address: a pod that gets an address another had just
    // before is reached at once, not after the neighbours' stale ARP entries expire.
    const mac = `02:42:${ip.split(".").map((octet) => Number(octet).toString(16).padStart(2, "0")).join(":")}`;
    await command("ip", ["-n", name, "link", "set", "dev", "eth0", "address", mac]);
    return { ip, subnet };
  }

  /** Removes the pod's interface, releases its address and deletes its namespace. */
  async detach(podUid: string, subnet: Subnet, staticIp: string | undefined): Promise<void> {
    const name = this.podNamespace(podUid);
    if (existsSync(this.namespacePath(this.namespace))) {
      await this.plugin("DEL", podUid, name, this.pluginConfig(subnet, staticIp), true);
    }
    if (existsSync(this.namespacePath(name))) await command("ip", ["netns", "del", name], { allowFailure: true });
  }

  private pluginConfig(subnet: Subnet, staticIp: string | undefined): string {
    const index = this.subnets.indexOf(subnet);
    const prefixLength = subnet.cidrBlock.split("/")[1]!;
    const base = ipToNumber(subnet.cidrBlock.split("/")[0]!);
    const ipam = staticIp
      ? { type: "static", addresses: [{ address: `${staticIp}/${prefixLength}`, gateway: gateway(subnet) }] }
      : {
          type: "host-local",
          dataDir: this.ipamDir,
          ranges: [[{ subnet: subnet.cidrBlock, rangeStart: numberToIp(addressRanges(subnet).nodeGroupPods.first), rangeEnd: numberToIp(addressRanges(subnet).nodeGroupPods.last), gateway: gateway(subnet) }]],
        };
    return JSON.stringify({
      cniVersion: "1.0.0",
      name: `moor-vpc${index}`,
      type: "bridge",
      bridge: bridgeName(index),
      isGateway: true,
      isDefaultGateway: true,
      // A pod reaching itself through its Service comes back out of its own bridge port.
      hairpinMode: true,
      ipMasq: false,
      ipam,
    });
  }

  private plugin(action: "ADD" | "DEL", podUid: string, namespace: string, config: string, allowFailure: boolean) {
    mkdirSync(this.ipamDir, { recursive: true });
    const env = {
      PATH: process.env.PATH,
      CNI_COMMAND: action,
      CNI_CONTAINERID: podUid,
      CNI_NETNS: this.namespacePath(namespace),
      CNI_IFNAME: "eth0",
      CNI_PATH: cniPath,
    };
    return command("ip", ["netns", "exec", this.namespace, join(cniPath, "bridge")], { input: config, env, allowFailure });
  }

  /** Deletes the VPC namespace; only when no pod needs it any more. */
  async remove(): Promise<void> {
    await removeNamespaces(this.digest);
    this.ready = undefined;
  }

  /**
   * Deletes the namespaces of data directories that no longer exist (removed under a running
   * Moor, as test runs do), so they do not pile up on the machine. Returns those directories.
   */
  static async collectOrphans(): Promise<{ home: string; digest: string }[]> {
    if (!existsSync(ownersDir)) return [];
    const orphans: { home: string; digest: string }[] = [];
    for (const digest of readdirSync(ownersDir)) {
      const [home = "", pid = "0"] = readFileSync(join(ownersDir, digest), "utf8").split("\n");
      // Gone means: its Moor is not running and its state is deleted (a removal that stopped
      // at a busy mount point still leaves the directory).
      if (isProcessRunning(Number(pid)) || existsSync(join(home, "state.db"))) continue;
      await removeNamespaces(digest);
      orphans.push({ home, digest });
    }
    return orphans;
  }
}

async function removeNamespaces(digest: string): Promise<void> {
  const names = existsSync(netnsDir) ? readdirSync(netnsDir).filter((name) => name === `moor-vpc-${digest}` || name.startsWith(`moor-${digest}-`)) : [];
  for (const name of names) await command("ip", ["netns", "del", name], { allowFailure: true });
  rmSync(join(ownersDir, digest), { force: true });
}

function bridgeName(index: number): string {
  return `vpc${index}`;
}

function gateway(subnet: Subnet): string {
  return numberToIp(ipToNumber(subnet.cidrBlock.split("/")[0]!) + 1);
}
