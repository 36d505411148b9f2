// Mount points the engine owns. Under every volume lies a small read-only placeholder mount, so
// that if the volume is ever gone (a daemon that died, Moor stopped while pods run) a program
// writing there gets EROFS instead of writing into a hidden host directory that no file system
// keeps: nothing written is lost silently.

import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);
export const placeholderSource = "moor-volume-absent";

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** Mounts at `mountPoint`, bottom first, as /proc/self/mountinfo lists them. */
export async function mountsAt(mountPoint: string): Promise<MountEntry[]> {
  const escaped = mountPoint.replace(/\\/g, "\\134").replace(/ /g, "\\040");
  const table = await readFile("/proc/self/mountinfo", "utf8");
  const entries: MountEntry[] = [];
  for (const line of table.split("\n")) {
    const fields = line.split(" ");
    if (fields[4] !== escaped) continue;
    const separator = fields.indexOf("-");
    entries.push({ mountPoint, fsType: fields[separator + 1] ?? "", source: fields[separator + 2] ?? "" });
  }
  return entries;
}

export function isPlaceholder(entry: MountEntry): boolean {
  return entry.fsType === "tmpfs" && entry.source === placeholderSource;
}

export async function ensurePlaceholder(mountPoint: string): Promise<void> {
  const entries = await mountsAt(mountPoint);
  if (entries.some(isPlaceholder)) return;
  if (entries.length > 0) return; // Something older is there; it is handled as the top mount.
  await run("mount", ["-t", "tmpfs", "-o", "ro,size=4k,nr_inodes=16,mode=0555", placeholderSource, mountPoint]);
}

/** Whether the mount lists its directory within a second (a stat could come from a cache). */
export async function answers(path: string): Promise<boolean> {
  const probe = readdir(path).then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
  return Promise.race([probe, timeout]);
}

/** Unmounts the top mount; when it is busy, detaches it (the kernel finishes when it is free). */
export async function unmountTop(mountPoint: string): Promise<void> {
  try {
    await run("umount", [mountPoint]);
  } catch {
    await run("umount", ["-l", mountPoint]);
  }
}

/** Removes every mount at the mount point, the placeholder last. */
export async function unmountEverything(mountPoint: string): Promise<void> {
  for (let entries = await mountsAt(mountPoint); entries.length > 0; entries = await mountsAt(mountPoint)) {
    await unmountTop(mountPoint);
  }
}

export async function bindMount(source: string, mountPoint: string, readOnly: boolean): Promise<void> {
  await run("mount", ["--bind", source, mountPoint]);
  if (readOnly) await run("mount", ["-o", "remount,bind,ro", mountPoint]);
}
