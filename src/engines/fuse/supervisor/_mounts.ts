// The supervisor's view of the mount table: Moor's FUSE mounts at a path, removing them (a
// repaired mount sits on a dead one, so there may be several), clearing a directory of the dead
// mounts of an earlier Moor, and the shared mount root that carries repairs into sandboxes.

import { invalid, quote } from "../../../errors/mod.js";
import { isMountPoint, makeShared, mount, mountsBelow, readMounts, readMountsSync, unmount, type HostMount } from "../../hostmounts/mod.js";
import { fuseType } from "../wire/mod.js";

function moorMounts(mounts: HostMount[]): HostMount[] {
  return mounts.filter((entry) => entry.fsType === fuseType);
}

/** Moor's FUSE mounts stacked at `mountPoint`, bottom first. */
export function moorMountsAt(mountPoint: string): HostMount[] {
  return moorMounts(readMountsSync()).filter((entry) => entry.mountPoint === mountPoint);
}

/** Unmounts every Moor FUSE mount stacked at `mountPoint`; a busy one is detached lazily. */
export async function unmountAllAt(mountPoint: string): Promise<void> {
  for (let remaining = moorMountsAt(mountPoint).length; remaining > 0; remaining -= 1) {
    try {
      await unmount(mountPoint, { raw: true, lazyIfBusy: true });
    } catch (error) {
      if (moorMountsAt(mountPoint).length > 0) throw error;
    }
  }
}

/**
 * Unmounts every Moor FUSE mount at or under `directory`: leftovers of a Moor that died with its
 * daemons (their connections are dead: every access fails with ENOTCONN).
 */
export async function unmountAll(directory: string): Promise<number> {
  const mounts = moorMounts(await readMounts());
  const mountPoints = new Set([...mounts.filter((entry) => entry.mountPoint === directory), ...mountsBelow(mounts, directory)].map((entry) => entry.mountPoint));
  // Deepest first, so a mount inside another goes before it.
  const ordered = [...mountPoints].sort((a, b) => b.length - a.length);
  for (const mountPoint of ordered) await unmountAllAt(mountPoint);
  return ordered.length;
}

/**
 * Makes `directory` (where mount points live) a shared mount, so that a mount made below it later
 * (a repair after a daemon crash) propagates to sandboxes that bind a mount point with
 * `rslave`. Binds the directory onto itself first when it is not a mount point yet. Idempotent.
 */
export async function prepareMountRoot(directory: string): Promise<void> {
  if (!isMountPoint(directory)) {
    await mount(directory, directory, { bind: true }).catch((error) => {
      throw invalid(`Cannot prepare the mount root ${quote(directory)}: bind-mounting it onto itself failed`, { cause: error });
    });
  }
  await makeShared(directory).catch((error) => {
    throw invalid(`Cannot prepare the mount root ${quote(directory)}: making it a shared mount failed`, { cause: error });
  });
}
