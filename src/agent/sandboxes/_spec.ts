// The OCI runtime config (config.json) for one container of a pod: its own mount, PID, UTS and
// cgroup namespaces, the pod's network and IPC namespaces, the pod's /etc/hosts, resolv.conf
// and /dev/shm, the runtime's default capabilities and nothing more. Kept free of I/O.

import type { Container, PodSpec } from "../../domain/kube/mod.js";
import { parseQuantity } from "../../domain/quantity/mod.js";
import { invalid, quote } from "../../errors/mod.js";
import type { ImageConfig } from "../../engines/images/mod.js";

// The set containerd and Docker give a container (what a Fargate pod gets), and no more.
export const defaultCapabilities = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
  "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
];

export interface VolumeMount {
  destination: string;
  source: string;
  readOnly: boolean;
  /** Host paths served by the mount engine follow later remounts (rslave). */
  propagation?: "rslave" | "rprivate";
}

export interface SpecInput {
  podName: string;
  container: Container;
  podSecurityContext?: PodSpec["securityContext"];
  image: ImageConfig;
  rootfs: string;
  env: string[];
  mounts: VolumeMount[];
  files: { hosts: string; resolvConf: string; hostname: string; shm: string };
  networkNamespace: string;
  ipcNamespace: string;
  cgroupsPath: string;
  user: { uid: number; gid: number; additionalGids: number[] };
  /** The agent's own hard limit on open files: a container cannot be given more. */
  openFilesHardMax: number;
}

/** The process's argv: command replaces ENTRYPOINT, args replace CMD, as Kubernetes says. */
export function processArgs(container: Container, image: ImageConfig): string[] {
  const entrypoint: string[] = container.command ?? image.Entrypoint ?? [];
  const args: string[] = container.args ?? (container.command ? [] : image.Cmd ?? []);
  const argv = [...entrypoint, ...args];
  if (argv.length === 0) throw invalid(`Cannot start container ${quote(container.name)}: neither it nor its image names a command`);
  return argv;
}

export function capabilities(container: Container): string[] {
  const context = container.securityContext ?? {};
  if (context.privileged) throw invalid(`Cannot start container ${quote(container.name)}: privileged containers are not supported on Fargate`);
  const name = (capability: string) => `CAP_${String(capability).toUpperCase().replace(/^CAP_/, "")}`;
  const added = (context.capabilities?.add ?? []).map(name);
  const beyond = added.filter((capability: string) => !defaultCapabilities.includes(capability));
  if (beyond.length > 0) throw invalid(`Cannot start container ${quote(container.name)}: capabilities ${beyond.join(", ")} are not supported on Fargate`);
  const dropped = new Set((context.capabilities?.drop ?? []).map(name));
  if (dropped.has("CAP_ALL")) return [];
  return defaultCapabilities.filter((capability) => !dropped.has(capability));
}

function limits(container: Container) {
  const cpu = parseQuantity(container.resources?.limits?.cpu);
  const memory = parseQuantity(container.resources?.limits?.memory);
  const resources: { devices: object[]; memory?: { limit: number }; cpu?: { period: number; quota: number } } = { devices: [{ allow: false, access: "rwm" }] };
  if (memory) resources.memory = { limit: Math.ceil(memory) };
  if (cpu) resources.cpu = { period: 100_000, quota: Math.max(1000, Math.ceil(cpu * 100_000)) };
  return resources;
}

export function ociSpec(input: SpecInput): object {
  const { container } = input;
  const context = { ...input.podSecurityContext, ...container.securityContext };
  const caps = capabilities(container);
  const bind = (destination: string, source: string, readOnly: boolean, propagation = "rprivate") => ({
    destination,
    type: "bind",
    source,
    options: ["rbind", propagation, ...(readOnly ? ["ro"] : [])],
  });
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: input.user,
      args: processArgs(container, input.image),
      env: input.env,
      cwd: container.workingDir || input.image.WorkingDir || "/",
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      // Fargate's nofile limits (soft 1024, hard 65535), within what the host allows.
      rlimits: [{ type: "RLIMIT_NOFILE", hard: Math.min(65535, input.openFilesHardMax), soft: Math.min(1024, input.openFilesHardMax) }],
      noNewPrivileges: context.allowPrivilegeEscalation === false,
    },
    root: { path: input.rootfs, readonly: context.readOnlyRootFilesystem === true },
    hostname: input.podName,
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
      bind("/dev/shm", input.files.shm, false),
      { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
      { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"] },
      bind("/etc/hosts", input.files.hosts, false),
      bind("/etc/resolv.conf", input.files.resolvConf, false),
      bind("/etc/hostname", input.files.hostname, false),
      ...input.mounts.map((mount) => bind(mount.destination, mount.source, mount.readOnly, mount.propagation)),
    ],
    linux: {
      cgroupsPath: input.cgroupsPath,
      namespaces: [
        { type: "pid" },
        { type: "mount" },
        { type: "uts" },
        { type: "cgroup" },
        { type: "ipc", path: input.ipcNamespace },
        { type: "network", path: input.networkNamespace },
      ],
      resources: limits(container),
      maskedPaths: [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
      ],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}
