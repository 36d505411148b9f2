// The load balancer engine: realizes load balancer plans as one HAProxy process inside the VPC
// network namespace (listeners on each load balancer's own host loopback address and on its VPC
// address, servers reached directly, active health checks as the ALB's or NLB's) and keeps their
// names in a marked block of /etc/hosts. Told everything by its caller; knows nothing of
// Kubernetes objects.
//
// Lifecycle: `new LoadBalancerEngine(options)`; `apply(balancers)` as often as they change
// (calls are serialized; the latest wins); `stop()` stops HAProxy and removes the hosts block,
// the VPC addresses and the host namespace's name.
//
// Only a change of structure (load balancers, listeners, rules, target groups, health checks)
// reloads HAProxy. A target that comes or goes is added or deleted over the admin socket, so a
// new pod gets requests as soon as it passes `healthyThreshold` checks, the first of them at
// once (a reload would start its checks anywhere within the interval). As on an ALB, a new target
// gets no traffic before then.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { albUnavailableResponse, backendName, renderConfig, renderStructure, serverName, serverSettings, type ConfigContext, type ProxiedLoadBalancer } from "./_config.js";
import { adminCommand, startOrReload, runningPid, stopHaproxy, type HaproxyFiles } from "./_haproxy.js";
import { writeHostsBlock } from "./_hosts.js";
import { addVpcAddress, ensureHostNamespace, removeHostNamespace, removeVpcAddress } from "./_namespaces.js";
import { addServer, admitServers, isChecked, retireServer } from "./_runtime.js";

export type { ProxiedLoadBalancer } from "./_config.js";
export { withBlock, writeHostsBlock, type BlockPlace, type HostsEntry } from "./_hosts.js";

export interface LoadBalancerEngineOptions {
  /** Where HAProxy's configuration, pid file and admin socket live. */
  runDir: string;
  /** The VPC network namespace (a name under /run/netns) HAProxy runs in and the targets live in. */
  namespace: string;
  /** Marks this Moor's block in the hosts file (the data directory's digest). */
  digest: string;
  hostsFile?: string;
  /** Makes the VPC namespace exist before HAProxy first starts in it. */
  prepare?: () => Promise<void>;
}

const hostNamespaceName = (digest: string) => `moor-host-${digest}`;

/** A server as HAProxy knows it: `<backend>/<server>` and its settings, and the target it is. */
interface Server {
  backend: string;
  name: string;
  settings: string;
  target: { balancer: string; targetGroup: string; ip: string; port: number };
}

/** One target's state and last health check as HAProxy reports them (`show stat`). */
export interface ServerCheck {
  balancer: string;
  targetGroup: string;
  ip: string;
  port: number;
  /** UP, DOWN, MAINT, DRAIN, or a transition such as "UP 1/2" or "DOWN 1/2". */
  status: string;
  /** The last check's status (L7OK, L7STS, L4CON, L4TOUT, INI, …), without HAProxy's "* " mark. */
  checkStatus: string;
  checkCode?: number;
}

function wantedServers(balancers: readonly ProxiedLoadBalancer[]): Map<string, Server> {
  const wanted = new Map<string, Server>();
  for (const balancer of balancers) {
    for (const group of balancer.targetGroups) {
      for (const target of group.targets) {
        const origin = { balancer: balancer.name, targetGroup: group.id, ip: target.ip, port: target.port };
        const server = { backend: backendName(balancer, group), name: serverName(target), settings: serverSettings(group, target), target: origin };
        wanted.set(`${server.backend}/${server.name}`, server);
      }
    }
  }
  return wanted;
}

function vpcAddressesOf(balancers: readonly ProxiedLoadBalancer[]): Set<string> {
  return new Set(balancers.flatMap((balancer) => (balancer.vpcAddress ? [balancer.vpcAddress] : [])));
}

export class LoadBalancerEngine {
  readonly #options: Required<LoadBalancerEngineOptions>;
  readonly #files: HaproxyFiles;
  readonly #hostNamespace: string;
  /** What HAProxy runs: its structure, its servers, servers left in maintenance with connections. */
  #structure = "";
  #servers = new Map<string, Server>();
  #retiring = new Set<string>();
  #vpcAddresses = new Set<string>();
  #chain: Promise<void> = Promise.resolve();

  constructor(options: LoadBalancerEngineOptions) {
    this.#options = { hostsFile: "/etc/hosts", prepare: async () => {}, ...options };
    const dir = options.runDir;
    this.#files = { namespace: options.namespace, config: join(dir, "haproxy.cfg"), pidFile: join(dir, "haproxy.pid"), adminSocket: join(dir, "admin.sock"), stateFile: join(dir, "servers.state") };
    this.#hostNamespace = hostNamespaceName(options.digest);
  }

  /** Makes the proxy and the hosts block match `balancers`; resolves once they do. */
  apply(balancers: readonly ProxiedLoadBalancer[]): Promise<void> {
    const next = this.#chain.then(() => this.#apply(balancers));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  #context(isNew: (id: string) => boolean): ConfigContext {
    return {
      hostNamespace: this.#hostNamespace,
      adminSocket: this.#files.adminSocket,
      stateFile: this.#files.stateFile,
      errorFile503: join(this.#options.runDir, "503.http"),
      isNew: (backend, server) => isNew(`${backend}/${server}`),
    };
  }

  async #apply(balancers: readonly ProxiedLoadBalancer[]): Promise<void> {
    const wanted = wantedServers(balancers);
    const structure = renderStructure(balancers, this.#context(() => false));
    if (balancers.length === 0) {
      await stopHaproxy(this.#files);
      this.#forget();
    } else if (structure !== this.#structure || !runningPid(this.#files) || !(await this.#changeTargets(wanted))) {
      await this.#reload(balancers, wanted, structure);
    }
    await this.#keepVpcAddresses(vpcAddressesOf(balancers), "remove");
    const entries = balancers.map((balancer) => ({ address: balancer.address, hostname: balancer.dnsName }));
    await writeHostsBlock(this.#options.hostsFile, this.#options.digest, entries);
  }

  /** A new configuration; servers new to HAProxy start in maintenance and are then admitted. */
  async #reload(balancers: readonly ProxiedLoadBalancer[], wanted: Map<string, Server>, structure: string): Promise<void> {
    mkdirSync(this.#options.runDir, { recursive: true });
    await this.#options.prepare();
    await ensureHostNamespace(this.#hostNamespace);
    await this.#keepVpcAddresses(vpcAddressesOf(balancers), "add");
    const context = this.#context((id) => !this.#servers.has(id));
    writeFileSync(context.errorFile503, albUnavailableResponse);
    const fresh = [...wanted.keys()].filter((id) => !this.#servers.has(id));
    this.#structure = "";
    await startOrReload(this.#files, renderConfig(balancers, context));
    this.#structure = structure;
    this.#servers = wanted;
    this.#retiring.clear();
    await admitServers(this.#files.adminSocket, fresh.map((id) => ({ id, checked: isChecked(wanted.get(id)!.settings) })));
  }

  /** Adds and deletes servers over the admin socket; false if HAProxy refused a change. */
  async #changeTargets(wanted: Map<string, Server>): Promise<boolean> {
    const socket = this.#files.adminSocket;
    for (const id of [...this.#retiring]) {
      const [backend = "", name = ""] = id.split("/");
      if (await retireServer(socket, backend, name)) this.#retiring.delete(id);
    }
    for (const [id, server] of [...this.#servers]) {
      if (wanted.get(id)?.settings === server.settings) continue;
      this.#servers.delete(id);
      if (!(await retireServer(socket, server.backend, server.name))) this.#retiring.add(id);
    }
    for (const [id, server] of wanted) {
      if (this.#servers.has(id)) continue;
      if (this.#retiring.has(id) || !(await addServer(socket, server.backend, server.name, server.settings))) return false;
      this.#servers.set(id, server);
    }
    return true;
  }

  /** Adds the wanted VPC addresses, or removes the others (after HAProxy let go of them). */
  async #keepVpcAddresses(wanted: Set<string>, step: "add" | "remove"): Promise<void> {
    if (step === "add") {
      for (const address of wanted) if (!this.#vpcAddresses.has(address)) await addVpcAddress(this.#options.namespace, address);
      for (const address of wanted) this.#vpcAddresses.add(address);
      return;
    }
    for (const address of [...this.#vpcAddresses]) {
      if (wanted.has(address)) continue;
      await removeVpcAddress(this.#options.namespace, address);
      this.#vpcAddresses.delete(address);
    }
  }

  /** Every target's state and last check, from HAProxy's statistics; none when it does not run. */
  async checks(): Promise<ServerCheck[]> {
    if (this.#servers.size === 0 || !runningPid(this.#files)) return [];
    const csv = await adminCommand(this.#files.adminSocket, "show stat");
    const [header = "", ...rows] = csv.split("\n");
    const columns = header.replace(/^# /, "").split(",");
    const at = (row: string[], column: string) => row[columns.indexOf(column)] ?? "";
    const checks: ServerCheck[] = [];
    for (const line of rows) {
      const row = line.split(",");
      const server = this.#servers.get(`${at(row, "pxname")}/${at(row, "svname")}`);
      if (!server) continue;
      const code = Number(at(row, "check_code"));
      checks.push({ ...server.target, status: at(row, "status"), checkStatus: at(row, "check_status").replace(/^\* /, ""), ...(code > 0 ? { checkCode: code } : {}) });
    }
    return checks;
  }

  #forget(): void {
    this.#structure = "";
    this.#servers.clear();
    this.#retiring.clear();
  }

  /** Stops the proxy and removes this Moor's hosts block, VPC addresses and host namespace name. */
  async stop(): Promise<void> {
    await this.#chain;
    await stopHaproxy(this.#files);
    this.#forget();
    await this.#keepVpcAddresses(new Set(), "remove");
    await removeHostNamespace(this.#hostNamespace);
    await writeHostsBlock(this.#options.hostsFile, this.#options.digest, []);
  }
}

/** Removes the hosts block and the host namespace's name a Moor that died left behind (`moor down` with no Moor running). */
export async function removeHostsBlock(digest: string, hostsFile = "/etc/hosts"): Promise<void> {
  await writeHostsBlock(hostsFile, digest, []);
  await removeHostNamespace(hostNamespaceName(digest));
}
