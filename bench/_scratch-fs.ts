// Shared by the file-system benchmarks. A fresh ext4 file system on this machine's disk: an
// image file under /tmp on a loop device with direct I/O (no second page cache in between), made
// like the root file system here (ext4 without a journal). Why not a directory of the root file system:
// ext4 without a journal skips inodes freed in the last 60-300 s when it allocates new ones, so
// after any large delete (a test run, the previous benchmark round) every create scans past
// thousands of them, and the same directory made 6,000 or 40,000 creates a second minutes apart.
// A fresh file system gives every target of a run the same clean start. BENCH_FS_DIR=<dir> runs
// in an existing directory instead.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ScratchFs {
  /** An empty directory on the scratch file system. */
  path: string;
  /** What the benchmark runs on, for its report. */
  description: string;
  dispose(): void;
}

/** Runs a command to completion; its trimmed output, or an error carrying its stderr. */
export function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${(result.stderr || String(result.error ?? "")).trim()}`);
  return result.stdout.trim();
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Makes and mounts the scratch file system: `sizeGiB` of sparse image, room for `inodes` files. */
export function scratchFs(prefix: string, sizeGiB: number, inodes: number): ScratchFs {
  const existing = process.env.BENCH_FS_DIR;
  if (existing) {
    const path = mkdtempSync(join(existing, prefix));
    return { path, description: `a directory of the file system holding ${existing}`, dispose: () => rmSync(path, { recursive: true, force: true }) };
  }
  const root = mkdtempSync(join("/tmp", prefix));
  const image = join(root, "disk.img");
  const mountPoint = join(root, "fs");
  let device = "";
  let mounted = false;
  const dispose = () => {
    if (mounted) spawnSync("umount", [mountPoint]);
    if (device) spawnSync("losetup", ["-d", device]);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    run("truncate", ["-s", `${sizeGiB}G`, image]);
    run("mkfs.ext4", ["-q", "-F", "-O", "^has_journal", "-N", String(inodes), "-E", "lazy_itable_init=0", image]);
    device = run("losetup", ["--find", "--show", "--direct-io=on", image]);
    mkdirSync(mountPoint);
    run("mount", [device, mountPoint]);
    mounted = true;
    return { path: mountPoint, description: `a fresh ext4 (no journal, as the root file system) on ${device}, an image under /tmp with direct I/O`, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * The untar workload's archive: `files` files of 1 KiB in 100 directories. Built in its own
 * directory under /tmp, not on the scratch file system, so that deleting the tree it was made
 * from leaves no freed inodes there.
 */
export function makeTarball(files: number): { path: string; dispose(): void } {
  const root = mkdtempSync(join("/tmp", "moor-bench-tar-"));
  try {
    const tree = join(root, "tree");
    for (let directory = 0; directory < 100; directory += 1) {
      mkdirSync(join(tree, `d${directory}`), { recursive: true });
      for (let file = 0; file < files / 100; file += 1) writeFileSync(join(tree, `d${directory}`, `f${file}`), Buffer.alloc(1024, file));
    }
    const path = join(root, "tree.tar");
    run("tar", ["-cf", path, "-C", tree, "."]);
    rmSync(tree, { recursive: true });
    return { path, dispose: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
