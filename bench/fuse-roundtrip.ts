// FUSE round trips: what one request through the kernel costs on this machine, and how many an
// untarred file needs. Three answers to the same access(2) call, timed in this process:
//   - a native directory (no FUSE at all);
//   - bench/fuse-roundtrip.c, a daemon that answers at once and does nothing else, sleeping
//     between requests or polling the device without pause: what any FUSE daemon, in any
//     language, pays per request here at best;
//   - Moor's daemon, with and without busy polling (FuseEngine spinMicros).
// Then it untars the bench/fs tree (100 directories × 100 files of 1 KiB) on native and through
// Moor's mount, counts the requests the kernel sent per file, and prints the floor that puts on
// untar through any FUSE daemon: requests the caller waits for × the fastest round trip measured
// + native.
// Run as root: `node dist/bench/fuse-roundtrip.js` (BENCH_RT_CALLS=20000, BENCH_RT_RUNS=5), on a
// fresh ext4 file system (see _scratch-fs.ts).

import { spawnSync } from "node:child_process";
import { accessSync, chownSync, constants, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FuseEngine, FuseOpcode } from "../src/engines/fuse/mod.js";
import { makeTarball, median, run, scratchFs } from "./_scratch-fs.js";

const calls = Number(process.env.BENCH_RT_CALLS ?? 20_000);
const runs = Number(process.env.BENCH_RT_RUNS ?? 5);
const identity = { uid: 1000, gid: 1000, secondaryGids: [] };
const files = 10_000;
/** Requests the caller does not wait for. */
const asynchronous = new Set<number>([FuseOpcode.release, FuseOpcode.forget, FuseOpcode.batchForget, FuseOpcode.interrupt]);
const opcodeNames = new Map(Object.entries(FuseOpcode).map(([name, code]) => [code as number, name.toUpperCase()]));

/** Microseconds per access(2) of `path`, median of `runs` rounds of `calls`. */
function accessMicros(path: string): number {
  const rounds: number[] = [];
  for (let round = 0; round < runs; round += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < calls; index += 1) accessSync(path, constants.W_OK);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  }
  return median(rounds);
}


function untarSeconds(archive: string, directory: string): number {
  mkdirSync(directory);
  const start = process.hrtime.bigint();
  run("tar", ["--no-same-owner", "-xf", archive, "-C", directory]);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const scratch = scratchFs("moor-bench-rt-", 8, runs * 2 * (files + 200) + 50_000);
  const root = scratch.path;
  const here = dirname(fileURLToPath(import.meta.url));
  const source = join(here, "..", "..", "bench", "fuse-roundtrip.c");
  const binary = join(root, "fuse-roundtrip");
  const nullMounts = [join(root, "null-sleeping"), join(root, "null-polling")];
  const engines = [new FuseEngine(), new FuseEngine({ spinMicros: 0 })];
  const mounted: string[] = [];
  const disposers: (() => void)[] = [];
  try {
    run("cc", ["-O2", "-Wall", "-o", binary, source]);
    const native = join(root, "native");
    mkdirSync(native);
    for (const [index, mountPoint] of nullMounts.entries()) {
      mkdirSync(mountPoint);
      run(binary, index === 0 ? [mountPoint] : [mountPoint, "poll"]);
      mounted.push(mountPoint);
    }
    const moor = [];
    for (const [index, engine] of engines.entries()) {
      const backing = join(root, `backing-${index}`);
      const mountPoint = join(root, `moor-${index}`);
      mkdirSync(backing);
      chownSync(backing, identity.uid, identity.gid);
      mkdirSync(mountPoint);
      moor.push(await engine.mount({ source: backing, mountPoint, identity }));
    }
    const rows: [string, number][] = [
      ["native directory", accessMicros(native)],
      ["FUSE, a C daemon that answers at once, sleeping between requests", accessMicros(nullMounts[0])],
      ["FUSE, a C daemon that answers at once, polling without pause", accessMicros(nullMounts[1])],
      ["FUSE, Moor's daemon, busy polling 100 µs (default)", accessMicros(moor[0].mountPoint)],
      ["FUSE, Moor's daemon, no busy polling", accessMicros(moor[1].mountPoint)],
    ];
    console.log(`| access(2), median of ${runs} × ${calls.toLocaleString("en")} | µs per call |`);
    console.log("|---|---|");
    for (const [name, micros] of rows) console.log(`| ${name} | ${micros.toFixed(1)} |`);

    const tarball = makeTarball(files);
    disposers.push(tarball.dispose);
    const archive = tarball.path;
    const nativeSeconds: number[] = [];
    const fuseSeconds: number[] = [];
    let counts: Record<string, number> = {};
    for (let round = 0; round < runs; round += 1) {
      nativeSeconds.push(untarSeconds(archive, join(native, `untar-${round}`)));
      const before = (await moor[0].stats()).requests;
      fuseSeconds.push(untarSeconds(archive, join(moor[0].mountPoint, `untar-${round}`)));
      // Releases are answered after close returns: wait for them to be counted.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const afterCounts = (await moor[0].stats()).requests;
      counts = Object.fromEntries(Object.entries(afterCounts).map(([code, count]) => [code, count - (before[Number(code)] ?? 0)]));
    }
    const perFile = Object.entries(counts)
      .filter(([, count]) => count >= files / 2)
      .map(([code, count]) => ({ name: opcodeNames.get(Number(code)) ?? code, perFile: count / files, waited: !asynchronous.has(Number(code)) }));
    const waited = perFile.filter((entry) => entry.waited).reduce((sum, entry) => sum + entry.perFile, 0);
    const nativePerFileMicros = (median(nativeSeconds) / files) * 1e6;
    const fusePerFileMicros = (median(fuseSeconds) / files) * 1e6;
    const fastest = Math.min(...rows.slice(1).map(([, micros]) => micros));
    const floorMicros = waited * fastest + nativePerFileMicros;
    console.log(`\nUntar of ${files.toLocaleString("en")} files of 1 KiB, median of ${runs}, on ${scratch.description}:`);
    console.log(`- requests per file: ${perFile.map((entry) => `${entry.name} ${entry.perFile.toFixed(2)}${entry.waited ? "" : " (not waited for)"}`).join(", ")}`);
    console.log(`- native: ${median(nativeSeconds).toFixed(2)} s (${nativePerFileMicros.toFixed(0)} µs per file)`);
    console.log(`- Moor's FUSE mount: ${median(fuseSeconds).toFixed(2)} s (${fusePerFileMicros.toFixed(0)} µs per file, ${(fusePerFileMicros / nativePerFileMicros).toFixed(1)}× native)`);
    console.log(
      `- floor for any FUSE daemon: ${waited.toFixed(2)} waited-for requests × ${fastest.toFixed(1)} µs + native ${nativePerFileMicros.toFixed(0)} µs = ${floorMicros.toFixed(0)} µs per file (${(floorMicros / nativePerFileMicros).toFixed(1)}× native)`,
    );
  } finally {
    for (const engine of engines) await engine.stop();
    for (const mountPoint of mounted) spawnSync("umount", [mountPoint]);
    for (const dispose of disposers) dispose();
    scratch.dispose();
  }
}

await main();
