// The optional native shim (native/moor_fuse.c, built by native/build.sh): the system calls the
// daemon needs that Node.js lacks. Without it the daemon still serves files, with these features
// off: passthrough (data goes through the daemon), locks seen across mounts (the kernel keeps
// them per mount), extended attributes, FIFOs and sockets, and rename flags.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface NativeShim {
  backingOpen(deviceFd: number, fileFd: number): number;
  /** A copy of descriptor `fd` of process `pid` (pidfd_getfd): a connection taken back from the holder. */
  pidfdGetfd(pid: number, fd: number): number;
  backingClose(deviceFd: number, backingId: number): number;
  flock(fd: number, operation: number): number;
  recordLock(fd: number, set: number, type: number, start: number, length: number, out?: Float64Array): number;
  getxattr(path: string, name: string, buffer: Buffer): number;
  setxattr(path: string, name: string, value: Buffer, flags: number): number;
  listxattr(path: string, buffer: Buffer): number;
  removexattr(path: string, name: string): number;
  mknod(path: string, mode: number, rdev: number): number;
  rename2(from: string, to: string, flags: number): number;
  /** openat(2) relative to a directory descriptor; the name has no slash. Fd or -errno. */
  openat(directoryFd: number, name: string, flags: number, mode: number): number;
  /** openat2(2) of a relative path beneath rootFd through no symlink at all. Fd or -errno. */
  openBeneath(rootFd: number, path: string, flags: number, mode: number): number;
  watchReadable(fd: number, callback: () => void): unknown;
  pauseWatch(watch: unknown, paused: number): void;
  unwatch(watch: unknown): void;
  readInto(fd: number, buffer: Buffer): number;
  utimens(path: string, atimeSec: number, atimeNsec: number, mtimeSec: number, mtimeNsec: number, noFollow: number): number;
  futimens(fd: number, atimeSec: number, atimeNsec: number, mtimeSec: number, mtimeNsec: number): number;
  fgetxattr(fd: number, name: string, buffer: Buffer): number;
  /** fstatat(2) without following a final symlink ("" stats the descriptor): 0 or -errno; see _stat.ts. */
  statAt(directoryFd: number, name: string, out: BigInt64Array): number;
  /** readInto that keeps trying for up to `spinNanos` while nothing is queued. */
  readSpin(fd: number, buffer: Buffer, spinNanos: number): number;
}

export const LockOperation = { shared: 1, exclusive: 2, unlock: 8 } as const;
export const LockType = { read: 0, write: 1, unlock: 2 } as const;

let loaded: NativeShim | null | undefined;

/** A file of native/build, found from the repository root: this file is <root>/[dist-x/]src/engines/fuse/daemon/_native.js. */
export function nativeBuildPath(file: string): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth += 1) {
    const candidate = join(directory, "native", "build", file);
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  return undefined;
}

/** The shim, or null when it is not built or not wanted (MOOR_FUSE_NATIVE=0). */
export function nativeShim(): NativeShim | null {
  if (loaded !== undefined) return loaded;
  const path = process.env.MOOR_FUSE_NATIVE === "0" ? undefined : nativeBuildPath("moor_fuse.node");
  if (!path) {
    loaded = null;
    return loaded;
  }
  try {
    loaded = createRequire(import.meta.url)(path) as NativeShim;
  } catch (error) {
    console.error(`moor fuse: loading the native shim "${path}" failed: passthrough and locks are off:`, error);
    loaded = null;
  }
  return loaded;
}
