// The FUSE kernel protocol as Moor speaks it (7.45 kernel, replies understood from 7.31 on):
// opcodes, flags and the byte layouts of the structures the daemon reads and writes. The ground
// truth is the Linux header include/uapi/linux/fuse.h; names here follow it in camelCase.

import { isUtf8 } from "node:buffer";
import type { FileStats } from "./_stat.js";

export const protocolMajor = 7;
export const protocolMinor = 45;

export const Opcode = {
  lookup: 1,
  forget: 2,
  getattr: 3,
  setattr: 4,
  readlink: 5,
  symlink: 6,
  mknod: 8,
  mkdir: 9,
  unlink: 10,
  rmdir: 11,
  rename: 12,
  link: 13,
  open: 14,
  read: 15,
  write: 16,
  statfs: 17,
  release: 18,
  fsync: 20,
  setxattr: 21,
  getxattr: 22,
  listxattr: 23,
  removexattr: 24,
  flush: 25,
  init: 26,
  opendir: 27,
  readdir: 28,
  releasedir: 29,
  fsyncdir: 30,
  getlk: 31,
  setlk: 32,
  setlkw: 33,
  access: 34,
  create: 35,
  interrupt: 36,
  destroy: 38,
  batchForget: 42,
  readdirplus: 44,
  rename2: 45,
} as const;

// INIT flags (the low 32 bits travel in `flags`, the high ones in `flags2`).
export const InitFlag = {
  asyncRead: 1 << 0,
  posixLocks: 1 << 1,
  atomicOTrunc: 1 << 3,
  bigWrites: 1 << 5,
  flockLocks: 1 << 10,
  autoInvalData: 1 << 12,
  doReaddirplus: 1 << 13,
  readdirplusAuto: 1 << 14,
  asyncDio: 1 << 15,
  parallelDirops: 1 << 18,
  maxPages: 1 << 22,
  cacheSymlinks: 1 << 23,
  handleKillprivV2: 1 << 28,
  initExt: 1 << 30,
} as const;
/** FUSE_PASSTHROUGH is bit 37, i.e. bit 5 of flags2. */
export const initFlag2Passthrough = 1 << 5;

export const OpenFlag = { directIo: 1 << 0, keepCache: 1 << 1, passthrough: 1 << 7 } as const;
export const SetattrValid = {
  mode: 1 << 0,
  uid: 1 << 1,
  gid: 1 << 2,
  size: 1 << 3,
  atime: 1 << 4,
  mtime: 1 << 5,
  fh: 1 << 6,
  atimeNow: 1 << 7,
  mtimeNow: 1 << 8,
  killSuidgid: 1 << 11,
} as const;
export const writeFlagKillSuidgid = 1 << 2;
export const openFlagKillSuidgid = 1 << 0;
export const getattrFlagFh = 1 << 0;
export const lockFlagFlock = 1 << 0;
export const fsyncFlagDatasync = 1 << 0;
export const notifyInvalInode = 2;
/** Requests read but never answered go back to the pending queue (kernel 6.9, protocol 7.40). */
export const notifyResend = 7;

/** The largest WRITE (and READ) Moor negotiates: 1 MiB, as NFS's wsize on EFS. */
export const maxWriteBytes = 1024 * 1024;

export const inHeaderBytes = 40;
export const outHeaderBytes = 16;
export const attrBytes = 88;
export const entryOutBytes = 40 + attrBytes;
export const attrOutBytes = 16 + attrBytes;
export const openOutBytes = 16;
export const initOutBytes = 64;
export const direntBytes = 24;

/** One request read from /dev/fuse: the header decoded, the body left in the buffer. */
export interface Request {
  opcode: number;
  unique: bigint;
  nodeid: number;
  uid: number;
  gid: number;
  pid: number;
  buffer: Buffer;
  /** Offset of the body (after the header and any extensions) in `buffer`. */
  body: number;
  /** End of the request in `buffer`. */
  end: number;
}

export function parseRequest(buffer: Buffer, length: number): Request {
  const extensionBytes = buffer.readUInt16LE(36) * 8;
  const total = buffer.readUInt32LE(0);
  return {
    opcode: buffer.readUInt32LE(4),
    unique: buffer.readBigUInt64LE(8),
    nodeid: Number(buffer.readBigUInt64LE(16)),
    uid: buffer.readUInt32LE(24),
    gid: buffer.readUInt32LE(28),
    pid: buffer.readUInt32LE(32),
    buffer,
    body: inHeaderBytes,
    end: Math.min(total, length) - extensionBytes,
  };
}

/**
 * Reads a NUL-terminated name from a request body; `valid` is false for bytes that are not UTF-8,
 * which the daemon refuses rather than silently renaming them.
 */
export function readName(buffer: Buffer, start: number, end: number): { name: string; next: number; valid: boolean } {
  let stop = buffer.indexOf(0, start);
  if (stop < 0 || stop > end) stop = end;
  return { name: buffer.toString("utf8", start, stop), next: stop + 1, valid: isUtf8(buffer.subarray(start, stop)) };
}

export function readU64(buffer: Buffer, offset: number): number {
  return Number(buffer.readBigUInt64LE(offset));
}

export function writeOutHeader(buffer: Buffer, length: number, error: number, unique: bigint): void {
  buffer.writeUInt32LE(length, 0);
  buffer.writeInt32LE(error, 4);
  buffer.writeBigUInt64LE(unique, 8);
}

/** Writes a struct fuse_attr from backing-file stats (nanosecond times, as the kernel keeps). */
export function writeAttr(buffer: Buffer, offset: number, stats: FileStats): void {
  buffer.writeBigUInt64LE(stats.ino, offset);
  buffer.writeBigUInt64LE(stats.size, offset + 8);
  buffer.writeBigUInt64LE(stats.blocks, offset + 16);
  writeTime(buffer, offset + 24, offset + 48, stats.atimeNs);
  writeTime(buffer, offset + 32, offset + 52, stats.mtimeNs);
  writeTime(buffer, offset + 40, offset + 56, stats.ctimeNs);
  buffer.writeUInt32LE(Number(stats.mode), offset + 60);
  buffer.writeUInt32LE(Number(stats.nlink), offset + 64);
  buffer.writeUInt32LE(Number(stats.uid), offset + 68);
  buffer.writeUInt32LE(Number(stats.gid), offset + 72);
  // The kernel decodes rdev with new_decode_dev, whose encoding is the low half of glibc's dev_t.
  buffer.writeUInt32LE(Number(stats.rdev & 0xffffffffn), offset + 76);
  buffer.writeUInt32LE(Number(stats.blksize), offset + 80);
  buffer.writeUInt32LE(0, offset + 84);
}

function writeTime(buffer: Buffer, secondsAt: number, nanosAt: number, totalNs: bigint): void {
  let seconds = totalNs / 1_000_000_000n;
  let nanos = totalNs % 1_000_000_000n;
  if (nanos < 0n) {
    seconds -= 1n;
    nanos += 1_000_000_000n;
  }
  buffer.writeBigInt64LE(seconds, secondsAt);
  buffer.writeUInt32LE(Number(nanos), nanosAt);
}

export function writeTimeout(buffer: Buffer, secondsAt: number, nanosAt: number, timeoutMs: number): void {
  buffer.writeBigUInt64LE(BigInt(Math.floor(timeoutMs / 1000)), secondsAt);
  buffer.writeUInt32LE((timeoutMs % 1000) * 1_000_000, nanosAt);
}

/** Aligns a directory record length to 8 bytes, as FUSE_DIRENT_ALIGN does. */
export function align8(length: number): number {
  return (length + 7) & ~7;
}
