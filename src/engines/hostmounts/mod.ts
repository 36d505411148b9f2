// The host's mount table, in one place: reading /proc/self/mountinfo, mounting and unmounting
// with util-linux's mount(8) and umount(8), and listing what is mounted at or below a path.
//
// The kernel writes a mount point and a source in mountinfo with four characters escaped as
// three octal digits: space \040, tab \011, newline \012 and backslash \134 (so a backslash in
// the table always starts an escape). Entries are returned unescaped: callers compare plain
// paths and never escape anything themselves.
//
// mount and umount run as child processes, never synchronously: the caller may be a FUSE daemon
// that has to keep answering the kernel meanwhile.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { quote, unavailable } from "../../errors/mod.js";

export interface HostMount {
  /** "major:minor" of the mounted device (for FUSE, its anonymous device and backing_dev_info). */
  device: string;
  /** The directory of the source file system that is mounted (a bind mount's subdirectory). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
}

const mountinfoPath = "/proc/self/mountinfo";

/** Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
export function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The mounts a mountinfo text lists, in its order (a mount listed later sits on top). */
export function parseMountinfo(text: string): HostMount[] {
  const mounts: HostMount[] = [];
  for (const line of text.split("\n")) {
    // Optional fields come between the mount options and " - "; an escaped path has no space.
    const separator = line.indexOf(" - ");
    if (separator < 0) continue;
    const fields = line.slice(0, separator).split(" ");
    const [fsType = "", source = ""] = line.slice(separator + 3).split(" ");
    if (fields.length < 5) continue;
    mounts.push({ device: fields[2]!, root: unescapeMountinfo(fields[3]!), mountPoint: unescapeMountinfo(fields[4]!), fsType, source: unescapeMountinfo(source) });
  }
  return mounts;
}

export async function readMounts(): Promise<HostMount[]> {
  return parseMountinfo(await readFile(mountinfoPath, "utf8"));
}

/** For synchronous callers; reading /proc never waits on a FUSE daemon. */
export function readMountsSync(): HostMount[] {
  return parseMountinfo(readFileSync(mountinfoPath, "utf8"));
}

/** Mounts stacked at `mountPoint`, bottom first. */
export async function mountsAt(mountPoint: string): Promise<HostMount[]> {
  return (await readMounts()).filter((entry) => entry.mountPoint === mountPoint);
}

export function isMountPoint(path: string): boolean {
  return readMountsSync().some((entry) => entry.mountPoint === path);
}

/** Mounts strictly below `directory`, in mount order (parents before what is mounted in them). */
export function mountsBelow(mounts: HostMount[], directory: string): HostMount[] {
  const prefix = directory.endsWith("/") ? directory : `${directory}/`;
  return mounts.filter((entry) => entry.mountPoint.startsWith(prefix));
}

export interface MountOptions {
  /** The file-system type (-t); absent for a bind mount. */
  type?: string;
  /** Options for -o, joined with commas. */
  options?: string[];
  /** --bind. */
  bind?: boolean;
  /** -i -c: no mount helper, and the mount point is not resolved through what is mounted there. */
  raw?: boolean;
  /** A descriptor handed to mount(8) as its fd 3 (a /dev/fuse connection, "fd=3"). */
  fd?: number;
}

export async function mount(source: string, mountPoint: string, options: MountOptions = {}): Promise<void> {
  const args = [...(options.raw ? ["-i", "-c"] : []), ...(options.bind ? ["--bind"] : []), ...(options.type ? ["-t", options.type] : [])];
  if (options.options?.length) args.push("-o", options.options.join(","));
  const result = await run("mount", [...args, source, mountPoint], options.fd);
  if (result.code !== 0) throw unavailable(`Cannot mount ${quote(source)} at ${quote(mountPoint)}: mount said ${quote(result.output)}`);
}

/** Changes the options of the mount at `mountPoint` (-o remount,...), such as a bind mount made read-only. */
export async function remount(mountPoint: string, options: string[]): Promise<void> {
  const result = await run("mount", ["-o", ["remount", ...options].join(","), mountPoint]);
  if (result.code !== 0) throw unavailable(`Cannot remount ${quote(mountPoint)}: mount said ${quote(result.output)}`);
}

/** Makes the mount at `mountPoint` and those below it shared (--make-rshared): mounts made below later propagate to its slaves. */
export async function makeShared(mountPoint: string): Promise<void> {
  const result = await run("mount", ["--make-rshared", mountPoint]);
  if (result.code !== 0) throw unavailable(`Cannot make ${quote(mountPoint)} a shared mount: mount said ${quote(result.output)}`);
}

export interface UnmountOptions {
  /** Detach at once (-l); the kernel finishes when the mount is no longer busy. */
  lazy?: boolean;
  /** Try a plain unmount first and detach lazily only when that fails. */
  lazyIfBusy?: boolean;
  /** -c: do not resolve the mount point (it may be a dead FUSE mount). */
  raw?: boolean;
  /** Leave a failure unreported (the mount may be gone already). */
  allowFailure?: boolean;
}

/** Unmounts the top mount at `mountPoint`. */
export async function unmount(mountPoint: string, options: UnmountOptions = {}): Promise<void> {
  const base = options.raw ? ["-c"] : [];
  let result = await run("umount", [...base, ...(options.lazy ? ["-l"] : []), mountPoint]);
  if (result.code !== 0 && options.lazyIfBusy && !options.lazy) result = await run("umount", [...base, "-l", mountPoint]);
  if (result.code !== 0 && !options.allowFailure) throw unavailable(`Cannot unmount ${quote(mountPoint)}: umount said ${quote(result.output)}`);
}

/** Lazily unmounts everything mounted below a directory, deepest (latest) first. */
export async function unmountBelow(directory: string): Promise<void> {
  for (const entry of mountsBelow(await readMounts(), directory).reverse()) await unmount(entry.mountPoint, { lazy: true, allowFailure: true });
}

interface Completed {
  code: number | null;
  output: string;
}

function run(program: string, args: string[], extraFd?: number): Promise<Completed> {
  return new Promise((resolve) => {
    const stdio: ("ignore" | "pipe" | number)[] = ["ignore", "pipe", "pipe"];
    if (extraFd !== undefined) stdio.push(extraFd);
    const child = spawn(program, args, { stdio });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => resolve({ code: -1, output: String(error) }));
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}
