// Shared by the FUSE benchmarks: what a process spent on the CPUs (the scheduler's own account,
// /proc/<pid>/task/*/schedstat), how often its threads went to sleep (voluntary context
// switches: each one is a wake-up later), and pinning processes to CPUs (taskset) to measure a
// round trip with the daemon and its caller on the same vCPU or on different ones.

import { readdirSync, readFileSync } from "node:fs";
import { run } from "./_scratch-fs.js";

export interface CpuAccount {
  /** Time on a CPU, all threads, in nanoseconds. */
  runNanos: number;
  /** Times a thread went to sleep of its own accord, all threads. */
  sleeps: number;
}

/** The CPU account of every thread of `pid` now. */
export function cpuAccount(pid: number): CpuAccount {
  let runNanos = 0;
  let sleeps = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      runNanos += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      const line = readFileSync(`/proc/${pid}/task/${task}/status`, "utf8").split("\n").find((entry) => entry.startsWith("voluntary_ctxt_switches"));
      sleeps += Number(line?.split(/\s+/)[1] ?? 0);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return { runNanos, sleeps };
}

/** What `pid` spent between two accounts. */
export function spent(before: CpuAccount, after: CpuAccount): CpuAccount {
  return { runNanos: after.runNanos - before.runNanos, sleeps: after.sleeps - before.sleeps };
}

/** Pins every thread of `pid` to the CPUs in `cpus` ("0", "1", "0-1"). */
export function pin(pid: number, cpus: string): void {
  run("taskset", ["-a", "-p", "-c", cpus, String(pid)]);
}

/** The CPUs this machine has online, as taskset writes them ("0-1"). */
export function onlineCpus(): string {
  return readFileSync("/sys/devices/system/cpu/online", "utf8").trim();
}
