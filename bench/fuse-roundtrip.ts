// FUSE round trips: what one request through the kernel costs on this machine, where that time
// goes, and how many requests an untar and a create make. Timed in this process:
//   - access(2) on a native directory (no FUSE at all), on bench/fuse-roundtrip.c (a daemon that
//     answers at once and does nothing else, sleeping between requests or polling its device
//     without pause: what any FUSE daemon pays per request here at best), on
//     bench/fuse-roundtrip-uring.c (the same over FUSE-over-io_uring, one queue and one pinned
//     thread per CPU: the request is answered on the caller's vCPU) and on Moor's daemon
//     (with and without busy polling), scheduled freely; with the daemon's CPU time per request
//     (the scheduler's account of its threads), which is the daemon's own cost;
//   - the same with the daemon pinned to CPU 0 and this process to CPU 0 (same vCPU) or to
//     CPU 1: what a wake-up across vCPUs costs (the io_uring daemon is not pinned: it has a
//     thread on each CPU, and only this process moves);
//   - untar of the bench/fs tree (100 directories × 100 files of 1 KiB) and 10,000 creates, on
//     native and through Moor's mount: the requests the kernel sent, by opcode, and the daemon's
//     CPU time and sleeps per request. It prints the floor that puts on untar through any FUSE
//     daemon: requests the caller waits for × the fastest round trip measured + native;
//   - the same two workloads on bench/fuse-native-model.c, a model of a native fast path (the
//     same system calls per request as Moor's daemon, in C, no JavaScript), on /dev/fuse and on
//     io_uring, sleeping between requests or busy polling: what the fast path could give here.
// Run as root: `node dist/bench/fuse-roundtrip.js` (BENCH_RT_CALLS=20000, BENCH_RT_RUNS=5), on a
// fresh ext4 file system (see _scratch-fs.ts).

import { spawnSync } from "node:child_process";
import { accessSync, chownSync, closeSync, constants, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FuseEngine, FuseOpcode, type FuseMount } from "../src/engines/fuse/mod.js";
import { cpuAccount, onlineCpus, pin, spent } from "./_cpu.js";
import { makeTarball, median, run, scratchFs } from "./_scratch-fs.js";

const calls = Number(process.env.BENCH_RT_CALLS ?? 20_000);
const runs = Number(process.env.BENCH_RT_RUNS ?? 5);
const identity = { uid: 1000, gid: 1000, secondaryGids: [] };
const files = 10_000;
/** Requests the caller does not wait for. */
const asynchronous = new Set<number>([FuseOpcode.release, FuseOpcode.forget, FuseOpcode.batchForget, FuseOpcode.interrupt]);
// The daemons time their handlers by opcode (see MountStats.handlerNanos).
process.env.MOOR_FUSE_PROFILE = "1";
const opcodeNames = new Map(Object.entries(FuseOpcode).map(([name, code]) => [code as number, name.toUpperCase()]));

interface Server {
  name: string;
  path: string;
  /** The serving process, when there is one. */
  pid?: number;
  /** Pin the caller only: the server has a thread on every CPU (io_uring queues). */
  perCpu?: boolean;
}

/** Microseconds per access(2) of `path`, median of `runs` rounds; and the server's CPU µs per call. */
function accessMicros(server: Server): { micros: number; serverMicros: number | undefined } {
  const rounds: number[] = [];
  const before = server.pid ? cpuAccount(server.pid) : undefined;
  for (let round = 0; round < runs; round += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < calls; index += 1) accessSync(server.path, constants.W_OK);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  }
  const used = before && server.pid ? spent(before, cpuAccount(server.pid)).runNanos / 1000 / (calls * runs) : undefined;
  return { micros: median(rounds), serverMicros: used };
}

/** access(2) with the server on CPU 0 and this process on CPU 0, then on CPU 1. */
function pinnedMicros(server: Server): [number, number] {
  const all = onlineCpus();
  try {
    if (!server.perCpu) pin(server.pid as number, "0");
    pin(process.pid, "0");
    const same = accessMicros(server).micros;
    pin(process.pid, "1");
    return [same, accessMicros(server).micros];
  } finally {
    pin(process.pid, all);
    if (!server.perCpu) pin(server.pid as number, all);
  }
}

interface Traced {
  seconds: number;
  counts: Record<string, number>;
  /** Nanoseconds in the daemon's handlers, by opcode. */
  handlerNanos: Record<string, number>;
  daemon: { runNanos: number; sleeps: number };
}

/** Runs `action` on a Moor mount, with the requests it caused and what the daemon spent. */
async function traced(mount: FuseMount, action: () => void): Promise<Traced> {
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

function untar(archive: string, directory: string): void {
  mkdirSync(directory);
  run("tar", ["--no-same-owner", "-xf", archive, "-C", directory]);
}

function creates(directory: string): void {
  mkdirSync(directory);
  for (let index = 0; index < files; index += 1) closeSync(openSync(join(directory, `f${index}`), "w"));
}

function seconds(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Prints one workload's medians and its requests per file, for each Moor mount traced. */
function report(name: string, nativeSeconds: number[], moor: [string, Traced[]][], fastest: number): void {
  const nativePerFile = (median(nativeSeconds) / files) * 1e6;
  console.log(`\n${name}, median of ${runs}; native: ${median(nativeSeconds).toFixed(2)} s (${nativePerFile.toFixed(0)} µs per file)`);
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
    console.log(`  - the daemon's CPU: ${daemonPerRequest.toFixed(1)} µs per request (reads, writes and polling included), ${sleepsPerFile.toFixed(2)} sleeps per file`);
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

async function main(): Promise<void> {
  // Room for two workloads of 10,000 files on seven targets in every round.
  const scratch = scratchFs("moor-bench-rt-", 8, runs * 14 * (files + 200) + 50_000);
  const root = scratch.path;
  const here = dirname(fileURLToPath(import.meta.url));
  const source = join(here, "..", "..", "bench", "fuse-roundtrip.c");
  const binary = join(root, "fuse-roundtrip");
  const nullMounts = [join(root, "null-sleeping"), join(root, "null-polling"), join(root, "null-uring")];
  const uringSwitch = "/sys/module/fuse/parameters/enable_uring";
  const uringBefore = readFileSync(uringSwitch, "utf8").trim();
  const engines = [new FuseEngine(), new FuseEngine({ spinMicros: 0 })];
  const mounted: string[] = [];
  const servingPids: number[] = [];
  const disposers: (() => void)[] = [];
  try {
    run("cc", ["-O2", "-Wall", "-o", binary, source]);
    run("cc", ["-O2", "-Wall", "-o", `${binary}-uring`, source.replace(/\.c$/, "-uring.c"), "-luring", "-lpthread"]);
    // The kernel offers FUSE over io_uring only to connections made while this is on.
    writeFileSync(uringSwitch, "Y");
    const native = join(root, "native");
    mkdirSync(native);
    const nullPids = servingPids;
    for (const [index, mountPoint] of nullMounts.entries()) {
      mkdirSync(mountPoint);
      const command = index === 2 ? [`${binary}-uring`, mountPoint] : [binary, mountPoint, ...(index === 1 ? ["poll"] : [])];
      nullPids.push(Number(run(command[0], command.slice(1))));
      mounted.push(mountPoint);
    }
    // The native model of a fast path (bench/fuse-native-model.c), on /dev/fuse and on io_uring.
    const modelSources = ["fuse-native-model.c", "fuse-native-model-transport.c"].map((name) => join(dirname(source), name));
    run("cc", ["-O2", "-Wall", "-o", `${binary}-model`, ...modelSources, "-luring", "-lpthread"]);
    const models: string[] = [];
    const modelModes: [string, number][] = [["classic", 0], ["classic", 100], ["uring", 0], ["uring", 100]];
    for (const [mode, spinMicros] of modelModes) {
      const backing = join(root, `model-backing-${mode}-${spinMicros}`);
      const mountPoint = join(root, `model-${mode}-${spinMicros}`);
      mkdirSync(backing);
      chownSync(backing, identity.uid, identity.gid);
      mkdirSync(mountPoint);
      const args = [backing, mountPoint, String(identity.uid), String(identity.gid), mode, String(spinMicros)];
      servingPids.push(Number(run(`${binary}-model`, args)));
      mounted.push(mountPoint);
      models.push(mountPoint);
    }
    const moor: FuseMount[] = [];
    for (const [index, engine] of engines.entries()) {
      const backing = join(root, `backing-${index}`);
      const mountPoint = join(root, `moor-${index}`);
      mkdirSync(backing);
      chownSync(backing, identity.uid, identity.gid);
      mkdirSync(mountPoint);
      moor.push(await engine.mount({ source: backing, mountPoint, identity }));
    }
    const servers: Server[] = [
      { name: "native directory", path: native },
      { name: "FUSE, a C daemon that answers at once, sleeping between requests", path: nullMounts[0], pid: nullPids[0] },
      { name: "FUSE, a C daemon that answers at once, polling without pause", path: nullMounts[1], pid: nullPids[1] },
      { name: "FUSE over io_uring, a C daemon that answers at once, one queue and thread per CPU", path: nullMounts[2], pid: nullPids[2], perCpu: true },
      { name: "FUSE, Moor's daemon, busy polling 100 µs (default)", path: moor[0].mountPoint, pid: moor[0].daemonPid },
      { name: "FUSE, Moor's daemon, no busy polling", path: moor[1].mountPoint, pid: moor[1].daemonPid },
    ];
    console.log(`| access(2), median of ${runs} × ${calls.toLocaleString("en")} | µs per call, scheduled freely | daemon's CPU µs per call | daemon and caller on one vCPU | on different vCPUs |`);
    console.log("|---|---|---|---|---|");
    const fastestMicros: number[] = [];
    for (const server of servers) {
      const free = accessMicros(server);
      const pinned = server.pid && server !== servers[2] ? pinnedMicros(server) : undefined;
      if (server.pid) fastestMicros.push(free.micros, ...(pinned ?? []));
      const cells = [free.micros.toFixed(1), free.serverMicros?.toFixed(1) ?? "", pinned?.[0].toFixed(1) ?? "", pinned?.[1].toFixed(1) ?? ""];
      console.log(`| ${server.name} | ${cells.join(" | ")} |`);
    }
    const fastest = Math.min(...fastestMicros);

    const tarball = makeTarball(files);
    disposers.push(tarball.dispose);
    const workloads = { untar: (directory: string) => untar(tarball.path, directory), creates };
    const results = new Map<string, { native: number[]; moor: Traced[][]; models: number[][] }>();
    for (let round = 0; round < runs; round += 1) {
      for (const [name, workload] of Object.entries(workloads)) {
        const entry = results.get(name) ?? { native: [], moor: moor.map(() => []), models: models.map(() => []) };
        results.set(name, entry);
        entry.native.push(seconds(() => workload(join(native, `${name}-${round}`))));
        for (const [index, model] of models.entries()) entry.models[index].push(seconds(() => workload(join(model, `${name}-${round}`))));
        for (const [index, mount] of moor.entries()) entry.moor[index].push(await traced(mount, () => workload(join(mount.mountPoint, `${name}-${round}`))));
      }
    }
    console.log(`\nOn ${scratch.description}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ")}.`);
    const labels = ["Moor's FUSE mount, busy polling 100 µs (default)", "Moor's FUSE mount, no busy polling"];
    const traced2 = (name: string) => (results.get(name)?.moor ?? []).map((traces, index): [string, Traced[]] => [labels[index], traces]);
    const modelLabels = [
      "native model, /dev/fuse read by a thread per CPU",
      "native model, /dev/fuse read by one thread, busy polling 100 µs",
      "native model, FUSE over io_uring, a queue and pinned thread per CPU",
      "native model, FUSE over io_uring, a queue and pinned thread per CPU, busy polling 100 µs",
    ];
    for (const [name, title] of [["untar", `Untar of ${files.toLocaleString("en")} files of 1 KiB`], ["creates", `${files.toLocaleString("en")} empty-file creates in this process`]]) {
      const entry = results.get(name);
      if (!entry) continue;
      report(title, entry.native, traced2(name), fastest);
      const nativeSeconds = median(entry.native);
      for (const [index, label] of modelLabels.entries()) {
        const modelSeconds = median(entry.models[index]);
        console.log(`- ${label}: ${modelSeconds.toFixed(2)} s (${((modelSeconds / files) * 1e6).toFixed(0)} µs per file, ${(modelSeconds / nativeSeconds).toFixed(1)}× native)`);
      }
    }
  } catch (error) {
    console.error("fuse-roundtrip failed:", error);
    process.exitCode = 1;
  } finally {
    for (const engine of engines) await engine.stop();
    for (const mountPoint of mounted) spawnSync("umount", [mountPoint]);
    // Their binary lives on the scratch file system: make sure they are gone before it goes.
    for (const pid of servingPids) killQuietly(pid);
    writeFileSync(uringSwitch, uringBefore);
    for (const dispose of disposers) dispose();
    scratch.dispose();
  }
}

await main();
