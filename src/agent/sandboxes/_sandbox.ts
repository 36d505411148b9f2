// A pod's sandbox: what its containers share. Its network namespace (from the VPC network), a
// persistent IPC namespace, a /dev/shm, /etc/hosts, /etc/resolv.conf and /etc/hostname, and
// the pod cgroup that enforces the pod's size (CPU quota, memory limit).

import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ec2SearchDomain, kubeDnsClusterIp, type PodDnsSpec, podHostname, podHostsFile, podResolvConf, podsAskKubeDnsClusterIp } from "../../domain/dns/mod.js";
import type { Subnet } from "../../domain/network/mod.js";
import { command } from "../../engines/command/mod.js";
import type { AgentLayout } from "../node/mod.js";
import type { VpcNetwork } from "../network/mod.js";
import { isMountPoint, mount, unmount } from "../../engines/hostmounts/mod.js";

const cgroupRoot = "/sys/fs/cgroup";

export interface SandboxFiles {
  hosts: string;
  resolvConf: string;
  hostname: string;
  shm: string;
  ipcNamespace: string;
}

export function sandboxFiles(podDir: string): SandboxFiles {
  return {
    hosts: join(podDir, "etc", "hosts"),
    resolvConf: join(podDir, "etc", "resolv.conf"),
    hostname: join(podDir, "etc", "hostname"),
    shm: join(podDir, "shm"),
    ipcNamespace: join(podDir, "ipc"),
  };
}

export interface SandboxSize {
  cpuMillis?: number;
  memoryBytes?: number;
}

export interface SandboxRequest {
  uid: string;
  name: string;
  namespace: string;
  subnet: Subnet;
  staticIp?: string;
  size: SandboxSize;
  /** The pod's dnsPolicy, dnsConfig, hostname, subdomain and hostAliases. */
  dns: PodDnsSpec;
  region: string;
}

export async function createSandbox(layout: AgentLayout, network: VpcNetwork, request: SandboxRequest): Promise<{ ip: string }> {
  const podDir = layout.podDir(request.uid);
  const files = sandboxFiles(podDir);
  mkdirSync(join(podDir, "etc"), { recursive: true });
  mkdirSync(files.shm, { recursive: true });
  if (!isMountPoint(files.shm)) await mount("shm", files.shm, { type: "tmpfs", options: ["mode=1777", "size=65536k", "nosuid", "nodev", "noexec"] });
  if (!isMountPoint(files.ipcNamespace)) {
    writeFileSync(files.ipcNamespace, "");
    await command("unshare", [`--ipc=${files.ipcNamespace}`, "true"]);
  }
  writePodCgroup(layout.podCgroup(request.uid), request.size);
  const { ip } = await network.attach(request.uid, request.subnet, request.staticIp);
  writeFileSync(files.hosts, podHostsFile(request.dns, { podName: request.name, namespace: request.namespace, ip }));
  const node = {
    clusterNameserver: podsAskKubeDnsClusterIp ? kubeDnsClusterIp : network.resolver,
    nodeNameserver: network.resolver,
    nodeSearches: [ec2SearchDomain(request.region)],
  };
  writeFileSync(files.resolvConf, podResolvConf(request.dns, request.namespace, node));
  writeFileSync(files.hostname, `${podHostname(request.dns, request.name)}\n`);
  return { ip };
}

function writePodCgroup(path: string, size: SandboxSize): void {
  const memory = join(cgroupRoot, "memory", path);
  mkdirSync(memory, { recursive: true });
  if (size.memoryBytes) writeFileSync(join(memory, "memory.limit_in_bytes"), String(size.memoryBytes));
  const cpu = join(cgroupRoot, "cpu", path);
  mkdirSync(cpu, { recursive: true });
  if (size.cpuMillis) {
    writeFileSync(join(cpu, "cpu.cfs_period_us"), "100000");
    writeFileSync(join(cpu, "cpu.cfs_quota_us"), String(size.cpuMillis * 100));
  }
}

/** Releases the sandbox once its containers are deleted: address, namespaces, mounts, cgroup. */
export async function destroySandbox(layout: AgentLayout, network: VpcNetwork, request: Pick<SandboxRequest, "uid" | "subnet" | "staticIp">): Promise<void> {
  const files = sandboxFiles(layout.podDir(request.uid));
  await network.detach(request.uid, request.subnet, request.staticIp);
  for (const target of [files.ipcNamespace, files.shm]) {
    if (isMountPoint(target)) await unmount(target, { lazy: true, allowFailure: true });
  }
  removeCgroup(layout.podCgroup(request.uid));
}

/** Removes a cgroup and the empty ones below it from every hierarchy; busy ones stay. */
export function removeCgroup(path: string): void {
  for (const hierarchy of readdirSync(cgroupRoot)) removeTree(join(cgroupRoot, hierarchy, path));
}

const emptyRoundsMax = 100;
const emptyRoundMs = 50;

/**
 * Kills every process in the cgroup `path` (and below it, in every hierarchy) and removes it,
 * in rounds until nothing is left: a killed process leaves the cgroup only once the kernel has
 * released it, so one rmdir right after a kill can still find it busy. Bounded by
 * emptyRoundsMax × emptyRoundMs; returns the processes that would not go.
 */
export async function killCgroup(path: string): Promise<number[]> {
  let left: number[] = [];
  for (let round = 0; round < emptyRoundsMax; round += 1) {
    left = cgroupMembers(path);
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
    removeCgroup(path);
    if (left.length === 0 && !readdirSync(cgroupRoot).some((hierarchy) => existsSync(join(cgroupRoot, hierarchy, path)))) return [];
    await new Promise((resolve) => setTimeout(resolve, emptyRoundMs));
  }
  return left;
}

/** Every process in the cgroup `path` (and below it) of every hierarchy. */
export function cgroupMembers(path: string): number[] {
  const members: number[] = [];
  const visit = (directory: string) => {
    if (!existsSync(directory)) return;
    try {
      for (const line of readFileSync(join(directory, "cgroup.procs"), "utf8").split("\n")) if (line) members.push(Number(line));
      for (const child of readdirSync(directory, { withFileTypes: true })) if (child.isDirectory()) visit(join(directory, child.name));
    } catch {
      // Removed meanwhile.
    }
  };
  for (const hierarchy of readdirSync(cgroupRoot)) visit(join(cgroupRoot, hierarchy, path));
  return [...new Set(members)];
}

function removeTree(directory: string): void {
  if (!existsSync(directory)) return;
  for (const child of readdirSync(directory, { withFileTypes: true })) if (child.isDirectory()) removeTree(join(directory, child.name));
  try {
    rmdirSync(directory);
  } catch {
    // Still has processes; the next teardown tries again.
  }
}

/** How many times the kernel's OOM killer struck in a cgroup (v1 memory.oom_control). */
export function oomKills(cgroupPath: string): number {
  try {
    const text = readFileSync(join(cgroupRoot, "memory", cgroupPath, "memory.oom_control"), "utf8");
    return Number(/oom_kill (\d+)/.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
