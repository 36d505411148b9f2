// Mount points the engine owns. Under every volume lies a small read-only placeholder mount, so
// that if the volume is ever gone (a daemon that died, Moor stopped while pods run) a program
// writing there gets EROFS instead of writing into a hidden host directory that no file system
// keeps: nothing written is lost silently.

import { readdir } from "node:fs/promises";
import { mount, mountsAt, remount, unmount, type HostMount } from "../hostmounts/mod.js";

export { mountsAt };
export const placeholderSource = "moor-volume-absent";

export function isPlaceholder(entry: HostMount): boolean {
  return entry.fsType === "tmpfs" && entry.source === placeholderSource;
}

export async function ensurePlaceholder(mountPoint: string): Promise<void> {
  const entries = await mountsAt(mountPoint);
  if (entries.some(isPlaceholder)) return;
  if (entries.length > 0) return; // Something older is there; it is handled as the top mount.
  await mount(placeholderSource, mountPoint, { type: "tmpfs", options: ["ro", "size=4k", "nr_inodes=16", "mode=0555"] });
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
  await unmount(mountPoint, { lazyIfBusy: true });
}

/** Removes every mount at the mount point, the placeholder last. */
export async function unmountEverything(mountPoint: string): Promise<void> {
  for (let entries = await mountsAt(mountPoint); entries.length > 0; entries = await mountsAt(mountPoint)) {
    await unmountTop(mountPoint);
  }
}

export async function bindMount(source: string, mountPoint: string, readOnly: boolean): Promise<void> {
  await mount(source, mountPoint, { bind: true });
  if (readOnly) await remount(mountPoint, ["bind", "ro"]);
}
