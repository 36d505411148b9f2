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
import { FuseEngine, type FuseMount } from "../src/engines/fuse/mod.js";
import { cpuAccount, onlineCpus, pin, spent } from "./_cpu.js";
import { report, traced, type Traced } from "./_fuse-trace.js";
import { makeTarball, median, run, scratchFs } from "./_scratch-fs.js";

const calls = Number(process.env.BENCH_RT_CALLS ?? 20_000);
const runs = Number(process.env.BENCH_RT_RUNS ?? 5);
const identity = { uid: 1000, gid: 1000, secondaryGids: [] };
const files = 10_000;
// The daemons time their handlers by opcode (see MountStats.handlerNanos).
process.env.MOOR_FUSE_PROFILE = "1";

interface Server {
  name: string;
  path: string;
  /** The serving process, when there is one. */
  pid?: number;
  /** Pin the caller only: the server has a thread on every CPU (io_uring queues). */
  perCpu?: boolean;
  /** The server polls without pause: never pinned beside its caller. */
  spins?: boolean;
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

function killQuietly(pid: number): void {
  try {
    process.kill(pid);
  } catch {
    // Already gone: it ended when its mount went away.
  }
}

/** What a run mounts and must take down. */
interface Stand {
  root: string;
  native: string;
  servers: Server[];
  /** Mount points of the native model and their servers' pids, in the order of modelModes. */
  models: { path: string; pid: number }[];
  moor: FuseMount[];
  mounted: string[];
  servingPids: number[];
}

const modelModes: [string, number, string][] = [
  ["classic", 0, "native model, /dev/fuse read by a thread per CPU"],
  ["classic", 100, "native model, /dev/fuse read by one thread, busy polling 100 µs"],
  ["uring", 0, "native model, FUSE over io_uring, a queue and pinned thread per CPU"],
  ["uring", 100, "native model, FUSE over io_uring, a queue and pinned thread per CPU, busy polling 100 µs"],
];

/** A backing directory owned by the benchmark's identity, and an empty mount point. */
function directories(root: string, name: string): { backing: string; mountPoint: string } {
  const backing = join(root, `${name}-backing`);
  const mountPoint = join(root, name);
  mkdirSync(backing);
  chownSync(backing, identity.uid, identity.gid);
  mkdirSync(mountPoint);
  return { backing, mountPoint };
}

/** Builds the C daemons and mounts every target: null daemons, the native model, Moor. */
async function mountAll(stand: Stand, engines: FuseEngine[]): Promise<void> {
  const sources = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench");
  const binary = join(stand.root, "fuse-roundtrip");
  run("cc", ["-O2", "-Wall", "-o", binary, join(sources, "fuse-roundtrip.c")]);
  run("cc", ["-O2", "-Wall", "-o", `${binary}-uring`, join(sources, "fuse-roundtrip-uring.c"), "-luring", "-lpthread"]);
  const modelSources = ["fuse-native-model.c", "fuse-native-model-transport.c"].map((name) => join(sources, name));
  run("cc", ["-O2", "-Wall", "-o", `${binary}-model`, ...modelSources, "-luring", "-lpthread"]);
  const serve = (command: string[], mountPoint: string): number => {
    const pid = Number(run(command[0], command.slice(1)));
    stand.servingPids.push(pid);
    stand.mounted.push(mountPoint);
    return pid;
  };
  const nulls: [string, string[], boolean][] = [
    ["FUSE, a C daemon that answers at once, sleeping between requests", [binary], false],
    ["FUSE, a C daemon that answers at once, polling without pause", [binary, "poll"], false],
    ["FUSE over io_uring, a C daemon that answers at once, one queue and thread per CPU", [`${binary}-uring`], true],
  ];
  for (const [index, [name, command, perCpu]] of nulls.entries()) {
    const path = join(stand.root, `null-${index}`);
    mkdirSync(path);
    const pid = serve([command[0], path, ...command.slice(1)], path);
    stand.servers.push({ name, path, pid, perCpu, ...(index === 1 ? { spins: true } : {}) });
  }
  for (const [mode, spinMicros] of modelModes) {
    const { backing, mountPoint } = directories(stand.root, `model-${mode}-${spinMicros}`);
    const pid = serve([`${binary}-model`, backing, mountPoint, String(identity.uid), String(identity.gid), mode, String(spinMicros)], mountPoint);
    stand.models.push({ path: mountPoint, pid });
  }
  const names = ["FUSE, Moor's daemon, busy polling 100 µs (default)", "FUSE, Moor's daemon, no busy polling"];
  for (const [index, engine] of engines.entries()) {
    const { backing, mountPoint } = directories(stand.root, `moor-${index}`);
    const mount = await engine.mount({ source: backing, mountPoint, identity });
    stand.moor.push(mount);
    stand.servers.push({ name: names[index], path: mountPoint, pid: mount.daemonPid });
  }
}

/** Prints the access(2) table; the fastest FUSE round trip measured, in µs. */
function roundTrips(servers: Server[]): number {
  console.log(`| access(2), median of ${runs} × ${calls.toLocaleString("en")} | µs per call, scheduled freely | daemon's CPU µs per call | daemon and caller on one vCPU | on different vCPUs |`);
  console.log("|---|---|---|---|---|");
  const fastestMicros: number[] = [];
  for (const server of servers) {
    const free = accessMicros(server);
    // A daemon that never sleeps pinned beside its caller would only take turns with it.
    const pinned = server.pid && !server.spins ? pinnedMicros(server) : undefined;
    if (server.pid) fastestMicros.push(free.micros, ...(pinned ?? []));
    const cells = [free.micros.toFixed(1), free.serverMicros?.toFixed(1) ?? "", pinned?.[0].toFixed(1) ?? "", pinned?.[1].toFixed(1) ?? ""];
    console.log(`| ${server.name} | ${cells.join(" | ")} |`);
  }
  return Math.min(...fastestMicros);
}

interface WorkloadResults {
  native: number[];
  moor: Traced[][];
  /** Seconds and the server's CPU nanoseconds, per round. */
  models: { seconds: number; runNanos: number }[][];
}

/** Runs untar and creates on native, the native model and Moor, rounds interleaved. */
async function runWorkloads(stand: Stand, archive: string): Promise<Map<string, WorkloadResults>> {
  const workloads = { untar: (directory: string) => untar(archive, directory), creates };
  const results = new Map<string, WorkloadResults>();
  for (let round = 0; round < runs; round += 1) {
    for (const [name, workload] of Object.entries(workloads)) {
      const entry = results.get(name) ?? { native: [], moor: stand.moor.map(() => []), models: stand.models.map(() => []) };
      results.set(name, entry);
      const directory = `${name}-${round}`;
      entry.native.push(seconds(() => workload(join(stand.native, directory))));
      for (const [index, model] of stand.models.entries()) {
        const before = cpuAccount(model.pid);
        const elapsed = seconds(() => workload(join(model.path, directory)));
        entry.models[index].push({ seconds: elapsed, runNanos: spent(before, cpuAccount(model.pid)).runNanos });
      }
      for (const [index, mount] of stand.moor.entries()) entry.moor[index].push(await traced(mount, () => workload(join(mount.mountPoint, directory))));
    }
  }
  return results;
}

function printWorkloads(results: Map<string, WorkloadResults>, fastest: number): void {
  const labels = ["Moor's FUSE mount, busy polling 100 µs (default)", "Moor's FUSE mount, no busy polling"];
  const titles = { untar: `Untar of ${files.toLocaleString("en")} files of 1 KiB`, creates: `${files.toLocaleString("en")} empty-file creates in this process` };
  for (const [name, entry] of results) {
    report(titles[name as keyof typeof titles], entry.native, entry.moor.map((traces, index): [string, Traced[]] => [labels[index], traces]), fastest, files);
    const nativeSeconds = median(entry.native);
    for (const [index, [, , label]] of modelModes.entries()) {
      const modelSeconds = median(entry.models[index].map((round) => round.seconds));
      const cpuMicros = median(entry.models[index].map((round) => round.runNanos)) / 1000 / files;
      const figures = `${((modelSeconds / files) * 1e6).toFixed(0)} µs per file, ${(modelSeconds / nativeSeconds).toFixed(1)}× native; its CPU ${cpuMicros.toFixed(0)} µs per file`;
      console.log(`- ${label}: ${modelSeconds.toFixed(2)} s (${figures})`);
    }
  }
}

async function main(): Promise<void> {
  // Room for two workloads of 10,000 files on seven targets in every round.
  const scratch = scratchFs("moor-bench-rt-", 8, runs * 14 * (files + 200) + 50_000);
  const uringSwitch = "/sys/module/fuse/parameters/enable_uring";
  const uringBefore = readFileSync(uringSwitch, "utf8").trim();
  const engines = [new FuseEngine(), new FuseEngine({ spinMicros: 0 })];
  const native = join(scratch.path, "native");
  const stand: Stand = { root: scratch.path, native, servers: [{ name: "native directory", path: native }], models: [], moor: [], mounted: [], servingPids: [] };
  let disposeTarball = () => undefined as void;
  try {
    mkdirSync(native);
    // The kernel offers FUSE over io_uring only to connections made while this is on.
    writeFileSync(uringSwitch, "Y");
    await mountAll(stand, engines);
    const fastest = roundTrips(stand.servers);
    const tarball = makeTarball(files);
    disposeTarball = tarball.dispose;
    const results = await runWorkloads(stand, tarball.path);
    console.log(`\nOn ${scratch.description}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ")}.`);
    printWorkloads(results, fastest);
  } catch (error) {
    console.error("fuse-roundtrip failed:", error);
    process.exitCode = 1;
  } finally {
    for (const engine of engines) await engine.stop();
    for (const mountPoint of stand.mounted) spawnSync("umount", [mountPoint]);
    // Their binaries live on the scratch file system: make sure they are gone before it goes.
    for (const pid of stand.servingPids) killQuietly(pid);
    writeFileSync(uringSwitch, uringBefore);
    disposeTarball();
    scratch.dispose();
  }
}

await main();
