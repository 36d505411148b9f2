// File-system benchmark: the same workloads on a native directory, a bind mount, and Moor's
// enforced FUSE mount (with passthrough; with data through the daemon; with passthrough and
// without the daemon's busy polling, spinMicros 0), in one run, runs interleaved; prints
// medians and ratios to native as a Markdown table.
// Run as root: `node dist/bench/fs.js` (BENCH_FS_MIB=1024 BENCH_FS_RUNS=3 by default). Everything
// runs on a fresh ext4 file system on this machine's disk (see _scratch-fs.ts).

import { spawnSync } from "node:child_process";
import { closeSync, chownSync, fsyncSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { FuseEngine, type FuseMount } from "../src/engines/fuse/mod.js";
import { makeTarball, median, scratchFs } from "./_scratch-fs.js";

const sizeMiB = Number(process.env.BENCH_FS_MIB ?? 1024);
const runs = Number(process.env.BENCH_FS_RUNS ?? 3);
const files = 10_000;
const statRounds = 10;
const identity = { uid: 1000, gid: 1000, secondaryGids: [] };
const mib = 1024 * 1024;

interface Target {
  name: string;
  /** Where the workloads run. */
  path: string;
  /** The same directory on the backing store, for dropping its page cache and cleaning up. */
  backing: string;
}

interface Workload {
  name: string;
  unit: string;
  /** Higher is better (a rate), or lower is better (seconds). */
  higherIsBetter: boolean;
  run(target: Target, round: string): number;
}

function seconds(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function dropCache(path: string): void {
  spawnSync("dd", [`if=${path}`, "iflag=nocache", "count=0", "status=none"]);
}

function readAll(path: string): void {
  const buffer = Buffer.allocUnsafe(mib);
  const fd = openSync(path, "r");
  while (readSync(fd, buffer, 0, mib, null) > 0);
  closeSync(fd);
}

const workloads: Workload[] = [
  {
    name: `sequential write of ${sizeMiB} MiB in 1 MiB blocks, with fsync`,
    unit: "MiB/s",
    higherIsBetter: true,
    run: (target, round) => {
      const block = Buffer.alloc(mib, 0x5a);
      return sizeMiB / seconds(() => {
        const fd = openSync(join(target.path, `big-${round}`), "w");
        for (let index = 0; index < sizeMiB; index += 1) writeSync(fd, block);
        fsyncSync(fd);
        closeSync(fd);
      });
    },
  },
  {
    name: `sequential read of ${sizeMiB} MiB in 1 MiB blocks, cold cache`,
    unit: "MiB/s",
    higherIsBetter: true,
    run: (target, round) => {
      dropCache(join(target.backing, `big-${round}`));
      return sizeMiB / seconds(() => readAll(join(target.path, `big-${round}`)));
    },
  },
  {
    name: `sequential read of ${sizeMiB} MiB in 1 MiB blocks, warm cache`,
    unit: "MiB/s",
    higherIsBetter: true,
    run: (target, round) => sizeMiB / seconds(() => readAll(join(target.path, `big-${round}`))),
  },
  {
    name: `${files.toLocaleString("en")} empty-file creates in one process`,
    unit: "files/s",
    higherIsBetter: true,
    run: (target, round) => {
      const directory = join(target.path, `creates-${round}`);
      mkdirSync(directory);
      return files / seconds(() => {
        for (let index = 0; index < files; index += 1) closeSync(openSync(join(directory, `f${index}`), "w"));
      });
    },
  },
  {
    name: `${(files * statRounds).toLocaleString("en")} stats of those files`,
    unit: "stats/s",
    higherIsBetter: true,
    run: (target, round) => {
      const directory = join(target.path, `creates-${round}`);
      return (files * statRounds) / seconds(() => {
        for (let pass = 0; pass < statRounds; pass += 1) for (let index = 0; index < files; index += 1) statSync(join(directory, `f${index}`));
      });
    },
  },
  {
    name: `untar of a ${files.toLocaleString("en")}-file tree`,
    unit: "s",
    higherIsBetter: false,
    run: (target, round) => {
      const directory = join(target.path, `untar-${round}`);
      mkdirSync(directory);
      return seconds(() => {
        const result = spawnSync("tar", ["--no-same-owner", "-xf", tarball, "-C", directory]);
        if (result.status !== 0) throw new Error(`tar failed on ${target.name}: ${result.stderr}`);
      });
    },
  },
];

let tarball = "";
let disposeTarball = () => undefined as void;


function format(value: number, unit: string): string {
  if (unit === "s") return `${value.toFixed(2)} s`;
  return `${Math.round(value).toLocaleString("en")} ${unit}`;
}

async function main(): Promise<void> {
  const targetsMax = 5;
  const scratch = scratchFs(
    "moor-bench-fs-",
    Math.max(8, Math.ceil((targetsMax * sizeMiB) / 1024) + 4),
    runs * targetsMax * (2 * files + 200) + 50_000,
  );
  const root = scratch.path;
  const engines = [new FuseEngine(), new FuseEngine({ passthrough: false }), new FuseEngine({ spinMicros: 0 })];
  const mounts: FuseMount[] = [];
  const targets: Target[] = [];
  const backing = (name: string) => {
    const path = join(root, `${name}-backing`);
    mkdirSync(path);
    chownSync(path, identity.uid, identity.gid);
    return path;
  };
  try {
    const archive = makeTarball(files);
    disposeTarball = archive.dispose;
    tarball = archive.path;
    const native = backing("native");
    targets.push({ name: "native", path: native, backing: native });
    const bindBacking = backing("bind");
    mkdirSync(join(root, "bind"));
    spawnSync("mount", ["--bind", bindBacking, join(root, "bind")]);
    targets.push({ name: "bind mount", path: join(root, "bind"), backing: bindBacking });
    for (const [index, name] of ["FUSE, passthrough", "FUSE, data through the daemon", "FUSE, passthrough, no busy polling"].entries()) {
      const source = backing(`fuse-${index}`);
      const mountPoint = join(root, `fuse-${index}`);
      mkdirSync(mountPoint);
      mounts.push(await engines[index].mount({ source, mountPoint, identity }));
      targets.push({ name, path: mountPoint, backing: source });
    }
    const results = new Map<string, number[]>();
    for (let round = 0; round < runs; round += 1) {
      for (const workload of workloads) {
        for (const target of targets) {
          const key = `${workload.name}|${target.name}`;
          results.set(key, [...(results.get(key) ?? []), workload.run(target, String(round))]);
        }
      }
      for (const target of targets) rmSync(join(target.backing, `big-${round}`), { force: true });
    }
    const passthrough = (await mounts[0].stats()).passthrough;
    console.log(`| workload (median of ${runs}) | ${targets.map((target) => target.name).join(" | ")} |`);
    console.log(`|---|${targets.map(() => "---").join("|")}|`);
    for (const workload of workloads) {
      const base = median(results.get(`${workload.name}|native`) ?? []);
      const cells = targets.map((target) => {
        const value = median(results.get(`${workload.name}|${target.name}`) ?? []);
        const ratio = workload.higherIsBetter ? value / base : base / value;
        return target.name === "native" ? format(value, workload.unit) : `${format(value, workload.unit)} (${Math.round(ratio * 100)} %)`;
      });
      console.log(`| ${workload.name} | ${cells.join(" | ")} |`);
    }
    console.log(`\nPercentages: speed relative to native (higher is better). Passthrough active: ${passthrough}. On ${scratch.description}.`);
  } finally {
    for (const mount of mounts) await mount.unmount().catch(() => undefined);
    for (const engine of engines) await engine.stop();
    spawnSync("umount", [join(root, "bind")]);
    disposeTarball();
    scratch.dispose();
  }
}

await main();
