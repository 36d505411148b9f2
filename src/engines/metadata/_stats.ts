// Container stats for the task metadata endpoint (`${ECS_CONTAINER_METADATA_URI_V4}/stats` and
// `/task/stats`), in the shape ECS serves them (Docker's stats JSON: cpu_stats and precpu_stats,
// memory_stats, blkio_stats, pids_stats, networks, network_rate_stats), read from the
// container's cgroups (v1) and the network interfaces of its namespace. A container's cgroups
// are `<controller>/<moor parent>/pod<pod uid>/<runtime id>`, as the node agent makes them;
// the previous read of each container gives precpu_stats, preread and the network rates.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

/** Which sandbox a container runs in: its pod's uid and its runtime (container) id. */
export interface ContainerSandbox {
  podUid: string;
  runtimeId: string;
}

export interface StatsRoots {
  /** Where the cgroup v1 controllers are mounted (/sys/fs/cgroup). */
  cgroup: string;
  /** Where /proc is. */
  proc: string;
}

/** Docker's "never": what preread says before a second read. */
const zeroTime = "0001-01-01T00:00:00Z";
/** USER_HZ: cpuacct.stat and /proc/stat count in these ticks. */
const nanosPerTick = 10_000_000;
/** Containers whose previous read is kept at most; the oldest go first past it. */
const remembered = 1_000;

interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage: number;
  online_cpus: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

interface Previous {
  read: string;
  readMs: number;
  cpu: CpuStats;
  rxBytes: number;
  txBytes: number;
}

function text(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

const number = (path: string) => Number(text(path)?.trim() ?? 0) || 0;

/** `key value` lines as numbers. */
function pairs(body: string | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  for (const line of (body ?? "").split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) result[key] = Number(value);
  }
  return result;
}

/** blkio's `major:minor Op value` lines, as Docker lists them (the Total line left out). */
function blkio(body: string | undefined) {
  return (body ?? "").split("\n").flatMap((line) => {
    const match = /^(\d+):(\d+) (\w+) (\d+)$/.exec(line.trim());
    return match ? [{ major: Number(match[1]), minor: Number(match[2]), op: match[3], value: Number(match[4]) }] : [];
  });
}

/** The interfaces of a network namespace other than lo, from /proc/<pid>/net/dev. */
function networks(body: string | undefined): Record<string, NetworkStats> {
  const result: Record<string, NetworkStats> = {};
  for (const line of (body ?? "").split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    const fields = (rest ?? "").trim().split(/\s+/).map(Number);
    if (!name || name.trim() === "lo" || fields.length < 16) continue;
    result[name.trim()] = { rx_bytes: fields[0]!, rx_packets: fields[1]!, rx_errors: fields[2]!, rx_dropped: fields[3]!, tx_bytes: fields[8]!, tx_packets: fields[9]!, tx_errors: fields[10]!, tx_dropped: fields[11]! };
  }
  return result;
}

export class ContainerStatsReader {
  readonly #roots: StatsRoots;
  /** runtime id → the container's cgroup path below each controller. */
  readonly #paths = new Map<string, string>();
  readonly #previous = new Map<string, Previous>();

  constructor(roots: StatsRoots = { cgroup: "/sys/fs/cgroup", proc: "/proc" }) {
    this.#roots = roots;
  }

  /** The container's stats now; undefined when its cgroup is gone (not running). */
  read(sandbox: ContainerSandbox, name: string, dockerId: string, nowMs: number): Record<string, unknown> | undefined {
    const path = this.#pathOf(sandbox);
    if (!path) return undefined;
    const at = (controller: string, file: string) => join(this.#roots.cgroup, controller, path, file);
    const ticks = pairs(text(at("cpuacct", "cpuacct.stat")));
    const throttling = pairs(text(at("cpu", "cpu.stat")));
    const system = (text(join(this.#roots.proc, "stat")) ?? "").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const cpu: CpuStats = {
      cpu_usage: {
        total_usage: number(at("cpuacct", "cpuacct.usage")),
        percpu_usage: (text(at("cpuacct", "cpuacct.usage_percpu")) ?? "").trim().split(/\s+/).filter(Boolean).map(Number),
        usage_in_kernelmode: (ticks.system ?? 0) * nanosPerTick,
        usage_in_usermode: (ticks.user ?? 0) * nanosPerTick,
      },
      system_cpu_usage: system.reduce((sum, value) => sum + (value || 0), 0) * nanosPerTick,
      online_cpus: cpus().length,
      throttling_data: { periods: throttling.nr_periods ?? 0, throttled_periods: throttling.nr_throttled ?? 0, throttled_time: throttling.throttled_time ?? 0 },
    };
    const memoryStats = pairs(text(at("memory", "memory.stat")));
    let limit = number(at("memory", "memory.limit_in_bytes"));
    // A container without a limit of its own is held by its pod's (the task's size).
    if (limit === 0 || limit >= 2 ** 62) limit = number(join(this.#roots.cgroup, "memory", path, "..", "memory.limit_in_bytes")) || limit;
    const pid = (text(at("cpuacct", "cgroup.procs")) ?? "").split("\n")[0]?.trim();
    const interfaces = pid ? networks(text(join(this.#roots.proc, pid, "net", "dev"))) : {};
    const rxBytes = Object.values(interfaces).reduce((sum, entry) => sum + entry.rx_bytes, 0);
    const txBytes = Object.values(interfaces).reduce((sum, entry) => sum + entry.tx_bytes, 0);
    const read = new Date(nowMs).toISOString();
    const previous = this.#previous.get(sandbox.runtimeId);
    const seconds = previous ? (nowMs - previous.readMs) / 1000 : 0;
    const stats = {
      read,
      preread: previous?.read ?? zeroTime,
      pids_stats: { current: number(at("pids", "pids.current")) },
      blkio_stats: {
        io_service_bytes_recursive: blkio(text(at("blkio", "blkio.throttle.io_service_bytes_recursive"))),
        io_serviced_recursive: blkio(text(at("blkio", "blkio.throttle.io_serviced_recursive"))),
        io_queue_recursive: [],
        io_service_time_recursive: [],
        io_wait_time_recursive: [],
        io_merged_recursive: [],
        io_time_recursive: [],
        sectors_recursive: [],
      },
      num_procs: 0,
      storage_stats: {},
      cpu_stats: cpu,
      precpu_stats: previous?.cpu ?? { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
      memory_stats: { usage: number(at("memory", "memory.usage_in_bytes")), max_usage: number(at("memory", "memory.max_usage_in_bytes")), stats: memoryStats, limit },
      name,
      id: dockerId,
      networks: interfaces,
      network_rate_stats: {
        rx_bytes_per_sec: previous && seconds > 0 ? Math.max(0, rxBytes - previous.rxBytes) / seconds : 0,
        tx_bytes_per_sec: previous && seconds > 0 ? Math.max(0, txBytes - previous.txBytes) / seconds : 0,
      },
    };
    if (this.#previous.size >= remembered && !previous) this.#previous.delete(this.#previous.keys().next().value!);
    this.#previous.set(sandbox.runtimeId, { read, readMs: nowMs, cpu, rxBytes, txBytes });
    return stats;
  }

  /** `<moor parent>/pod<uid>/<runtime id>` when that cgroup exists. */
  #pathOf(sandbox: ContainerSandbox): string | undefined {
    if (!/^[0-9a-f-]+$/i.test(sandbox.podUid) || !/^[0-9a-zA-Z_.-]+$/.test(sandbox.runtimeId)) return undefined;
    const cpuacct = join(this.#roots.cgroup, "cpuacct");
    const known = this.#paths.get(sandbox.runtimeId);
    if (known && existsSync(join(cpuacct, known))) return known;
    const pod = `pod${sandbox.podUid.replace(/-/g, "")}`;
    let parents: string[];
    try {
      parents = readdirSync(cpuacct).filter((entry) => entry.startsWith("moor-"));
    } catch {
      return undefined;
    }
    for (const parent of parents) {
      const path = join(parent, pod, sandbox.runtimeId);
      if (existsSync(join(cpuacct, path))) {
        if (this.#paths.size >= remembered) this.#paths.delete(this.#paths.keys().next().value!);
        this.#paths.set(sandbox.runtimeId, path);
        return path;
      }
    }
    return undefined;
  }
}
