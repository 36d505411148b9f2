// Mount table plumbing: mounting a /dev/fuse descriptor with util-linux's mount (the kernel takes
// the descriptor as "fd=3"), unmounting, and finding Moor's FUSE mounts in /proc/self/mountinfo.
// Everything runs as a child process, never synchronously: the calling process may be the
// daemon that has to answer the kernel meanwhile.

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { unavailable, quote } from "../../errors/mod.js";

export const fuseType = "fuse.moor";

export interface MountFlags {
  readOnly?: boolean;
  /** Let the kernel check the caller's own permissions too (mounts without an enforced identity). */
  defaultPermissions?: boolean;
}

interface Completed {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], extraFd?: number): Promise<Completed> {
  return new Promise((resolve) => {
    const stdio: ("ignore" | "pipe" | number)[] = ["ignore", "pipe", "pipe"];
    if (extraFd !== undefined) stdio.push(extraFd);
    const child = spawn(command, args, { stdio });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => resolve({ code: -1, output: String(error) }));
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}

/** Mounts the FUSE connection behind `deviceFd` at `mountPoint` (on top of whatever is there). */
export async function mountDevice(deviceFd: number, source: string, mountPoint: string, flags: MountFlags): Promise<void> {
  // nodev, nosuid: a shared volume must not hand out device access or set-id programs.
  const options = ["fd=3", "rootmode=40000", "user_id=0", "group_id=0", "allow_other", "nodev", "nosuid", `max_read=${1024 * 1024}`];
  if (flags.defaultPermissions) options.push("default_permissions");
  if (flags.readOnly) options.push("ro");
  // -i: no mount helper, the options go to the kernel as they are; -c: do not resolve the mount
  // point through a file system that may be a dead FUSE mount being replaced.
  const result = await run("mount", ["-i", "-c", "-t", fuseType, "-o", options.join(","), source, mountPoint], deviceFd);
  if (result.code !== 0) {
    throw unavailable(`Cannot mount FUSE at ${quote(mountPoint)}: mount said ${quote(result.output)}`);
  }
}

/** Unmounts one mount at `mountPoint`; a busy mount is detached lazily. */
export async function unmountOnce(mountPoint: string): Promise<void> {
  let result = await run("umount", ["-c", mountPoint]);
  if (result.code !== 0) result = await run("umount", ["-c", "-l", mountPoint]);
  if (result.code !== 0 && mountsAt(mountPoint).length > 0) {
    throw unavailable(`Cannot unmount ${quote(mountPoint)}: umount said ${quote(result.output)}`);
  }
}

/** Unmounts every Moor FUSE mount stacked at `mountPoint` (a repaired mount sits on a dead one). */
export async function unmountAllAt(mountPoint: string): Promise<void> {
  for (let remaining = mountsAt(mountPoint).length; remaining > 0; remaining -= 1) {
    await unmountOnce(mountPoint);
  }
}

export interface MountEntry {
  mountPoint: string;
  /** "major:minor" of the mount's anonymous device, which also names its backing_dev_info. */
  device: string;
  source: string;
}

function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Moor's FUSE mounts, from /proc/self/mountinfo, in mount order. */
export function moorMounts(): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const separator = line.indexOf(" - ");
    if (separator < 0) continue;
    const fields = line.slice(0, separator).split(" ");
    const [type, source] = line.slice(separator + 3).split(" ");
    if (type !== fuseType) continue;
    entries.push({ mountPoint: unescapeMountinfo(fields[4]), device: fields[2], source: unescapeMountinfo(source) });
  }
  return entries;
}

export function mountsAt(mountPoint: string): MountEntry[] {
  return moorMounts().filter((entry) => entry.mountPoint === mountPoint);
}

/**
 * Lets the kernel read ahead up to 1 MiB (one maximal FUSE read) instead of the default 128 KiB:
 * for files whose data goes through the daemon, fewer and larger READ requests.
 */
export function raiseReadahead(mountPoint: string): void {
  const entry = mountsAt(mountPoint).pop();
  if (!entry) return;
  try {
    writeFileSync(`/sys/class/bdi/${entry.device}/read_ahead_kb`, "1024");
  } catch {
    // Not worth failing a mount for: reads stay correct, only smaller.
  }
}
