// Putting a daemon's /dev/fuse connection in the mount table: util-linux's mount takes the
// descriptor as its fd 3 ("fd=3"), and the kernel's read-ahead for the new mount is raised.

import { writeFileSync } from "node:fs";
import { mount, readMountsSync } from "../../hostmounts/mod.js";
import { fuseType } from "../wire/mod.js";

export interface MountFlags {
  readOnly?: boolean;
  /** Let the kernel check the caller's own permissions too (mounts without an enforced identity). */
  defaultPermissions?: boolean;
}

/** Mounts the FUSE connection behind `deviceFd` at `mountPoint` (on top of whatever is there). */
export async function mountDevice(deviceFd: number, source: string, mountPoint: string, flags: MountFlags): Promise<void> {
  // nodev, nosuid: a shared volume must not hand out device access or set-id programs.
  const options = ["fd=3", "rootmode=40000", "user_id=0", "group_id=0", "allow_other", "nodev", "nosuid", `max_read=${1024 * 1024}`];
  if (flags.defaultPermissions) options.push("default_permissions");
  if (flags.readOnly) options.push("ro");
  // raw (-i -c): no mount helper, the options go to the kernel as they are, and the mount point
  // is not resolved through a file system that may be a dead FUSE mount being replaced.
  await mount(source, mountPoint, { type: fuseType, options, raw: true, fd: deviceFd });
}

/**
 * Lets the kernel read ahead up to 1 MiB (one maximal FUSE read) instead of the default 128 KiB:
 * for files whose data goes through the daemon, fewer and larger READ requests.
 */
export function raiseReadahead(mountPoint: string): void {
  const entry = readMountsSync()
    .filter((candidate) => candidate.fsType === fuseType && candidate.mountPoint === mountPoint)
    .pop();
  if (!entry) return;
  try {
    writeFileSync(`/sys/class/bdi/${entry.device}/read_ahead_kb`, "1024");
  } catch {
    // Not worth failing a mount for: reads stay correct, only smaller.
  }
}
