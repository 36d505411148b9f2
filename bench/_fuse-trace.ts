// Shared by bench/fuse-roundtrip: tracing a workload on a Moor mount (the requests it caused, by
// opcode, the time the daemon's handlers took, and what the daemon spent on the CPUs) and
// printing one workload's figures against native.

import { FuseOpcode, type FuseMount } from "../src/engines/fuse/mod.js";
import { cpuAccount, spent } from "./_cpu.js";
import { median } from "./_scratch-fs.js";

/** Requests the caller does not wait for. */
const asynchronous = new Set<number>([FuseOpcode.release, FuseOpcode.forget, FuseOpcode.batchForget, FuseOpcode.interrupt]);
const opcodeNames = new Map(Object.entries(FuseOpcode).map(([name, code]) => [code as number, name.toUpperCase()]));

export interface Traced {
  seconds: number;
  counts: Record<string, number>;
  /** Nanoseconds in the daemon's handlers, by opcode. */
  handlerNanos: Record<string, number>;
  daemon: { runNanos: number; sleeps: number };
}

/** Runs `action` on a Moor mount, with the requests it caused and what the daemon spent. */
export async function traced(mount: FuseMount, action: () => void): Promise<Traced> {
  const statsBefore = await mount.stats();
  const before = statsBefore.requests;
  const cpuBefore = cpuAccount(mount.daemonPid as number);
  const start = process.hrtime.bigint();
  action();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Releases are answered after close returns: wait for them to be counted.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const statsAfter = await mount.stats();
  const daemon = spent(cpuBefore, cpuAccount(mount.daemonPid as number));
  const delta = (from: Record<number, number> = {}, to: Record<number, number> = {}) =>
    Object.fromEntries(Object.entries(to).map(([code, count]) => [code, count - (from[Number(code)] ?? 0)]));
  return { seconds, counts: delta(before, statsAfter.requests), handlerNanos: delta(statsBefore.handlerNanos, statsAfter.handlerNanos), daemon };
}

/** Prints one workload's medians and its requests per file, for each Moor mount traced. */
export function report(name: string, nativeSeconds: number[], moor: [string, Traced[]][], fastest: number, files: number): void {
  const nativePerFile = (median(nativeSeconds) / files) * 1e6;
  console.log(`\n${name}, median of ${nativeSeconds.length}; native: ${median(nativeSeconds).toFixed(2)} s (${nativePerFile.toFixed(0)} µs per file)`);
  let waited = 0;
  for (const [label, traces] of moor) {
    const last = traces[traces.length - 1];
    const total = Object.values(last.counts).reduce((sum, count) => sum + count, 0);
    const perFile = Object.entries(last.counts)
      .filter(([, count]) => count >= files / 2)
      .map(([code, count]) => ({
        name: opcodeNames.get(Number(code)) ?? code,
        perFile: count / files,
        waited: !asynchronous.has(Number(code)),
        handlerMicros: median(traces.map((entry) => (entry.handlerNanos[code] ?? 0) / Math.max(1, entry.counts[code] ?? 0))) / 1000,
      }));
    waited = perFile.filter((entry) => entry.waited).reduce((sum, entry) => sum + entry.perFile, 0);
    const handlerMicros = perFile.reduce((sum, entry) => sum + entry.perFile * entry.handlerMicros, 0);
    const moorSeconds = median(traces.map((entry) => entry.seconds));
    const moorPerFile = (moorSeconds / files) * 1e6;
    const daemonPerRequest = median(traces.map((entry) => entry.daemon.runNanos)) / 1000 / total;
    const sleepsPerFile = median(traces.map((entry) => entry.daemon.sleeps)) / files;
    console.log(`- ${label}: ${moorSeconds.toFixed(2)} s (${moorPerFile.toFixed(0)} µs per file, ${(moorPerFile / nativePerFile).toFixed(1)}× native)`);
    console.log(`  - requests per file (µs in the daemon's handler each): ${perFile.map((entry) => `${entry.name} ${entry.perFile.toFixed(2)} (${entry.handlerMicros.toFixed(1)})${entry.waited ? "" : " not waited for"}`).join(", ")}; ${handlerMicros.toFixed(0)} µs per file in handlers`);
    const daemonPerFile = median(traces.map((entry) => entry.daemon.runNanos)) / 1000 / files;
    console.log(`  - the daemon's CPU: ${daemonPerRequest.toFixed(1)} µs per request, ${daemonPerFile.toFixed(0)} µs per file (reads, writes and polling included), ${sleepsPerFile.toFixed(2)} sleeps per file`);
  }
  const floor = waited * fastest + nativePerFile;
  console.log(`- floor for any FUSE daemon: ${waited.toFixed(2)} waited-for requests × ${fastest.toFixed(1)} µs + native ${nativePerFile.toFixed(0)} µs = ${floor.toFixed(0)} µs per file (${(floor / nativePerFile).toFixed(1)}× native)`);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid);
  } catch {
    // Already gone: it ended when its mount went away.
  }
}
