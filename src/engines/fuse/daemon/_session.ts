// One mounted file system inside the daemon: the FUSE connection, the inode table, the open
// handles and the rules (identity, squash, read-only) every request is checked against. It
// answers INIT and DESTROY itself and routes every other opcode to the handler files.

import { profiling, timed } from "./_profile.js";
import { close, closeSync, constants, openSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { openBeneath } from "../../filesystems/mod.js";
import { Channel } from "./_channel.js";
import type { Coherence, CoherentMount } from "./_coherence.js";
import { errno, Errno, errnoOf } from "./_errors.js";
import type { DescriptorCache } from "./_descriptors.js";
import type { Inode } from "./_inodes.js";
import { InodeTable, openPathFlag } from "./_inodes.js";
import type { NativeShim } from "./_native.js";
import { Stater, type FileStats } from "./_stat.js";
import { effectiveCredentials, parseStatusGroups, type Credentials, type GroupLookup, type Identity } from "./_permissions.js";
import {
  attrOutBytes,
  maxWriteBytes,
  entryOutBytes,
  notifyResend,
  Opcode,
  outHeaderBytes,
  writeAttr,
  writeTimeout,
  type Request,
} from "./_protocol.js";
import { handlers } from "./_handlers.js";
import { answerInit } from "./_init.js";

const requestHeaderRoomBytes = 8192;
const groupCacheMax = 256;
const groupCacheTtlMs = 1000;

export interface SessionOptions {
  source: string;
  /** The file system's root: `source` is opened beneath it through no symbolic link. */
  within?: string;
  identity?: Identity;
  squashRoot?: boolean;
  readOnly?: boolean;
  entryTimeoutMs: number;
  attrTimeoutMs: number;
  readers: number;
  inflightMax: number;
  /** Busy polling of the device after a request (see _channel.ts). */
  spinNanos: number;
  /** Size changes of files (bytes), for metering. */
  onBytesWritten?: (deltaBytes: number) => void;
}

/** An open file or directory, by the handle number the kernel echoes back. */
export interface Handle {
  inode: Inode;
  fd: number;
  flags: number;
  /** Directory listing snapshot (directories only). */
  entries?: { name: string; type: number }[];
  passthrough: boolean;
  writable: boolean;
  /** A flock was taken through this handle (it must be dropped explicitly at release). */
  flocked?: boolean;
}

let scratchBuffer: Buffer | undefined;

export class Session implements CoherentMount {
  readonly channel: Channel;
  readonly inodes: InodeTable;
  readonly handles = new Map<number, Handle>();
  readonly interrupts = new Map<bigint, () => void>();
  passthrough = false;
  /** Requests seen, by opcode: how tests and benchmarks tell what reached the daemon. */
  readonly requestCounts = new Map<number, number>();
  /** Time in the handlers by opcode, in ns, with MOOR_FUSE_PROFILE=1 only (see _profile.ts). */
  readonly handlerNanos = new Map<number, number>();
  private nextHandle = 1;
  /** Handles below this number were handed out by a daemon that died (see `resume`). */
  private firstHandle = 1;
  private readonly groupCache = new Map<number, { groups: number[]; atMs: number }>();

  constructor(
    deviceFd: number,
    readonly options: SessionOptions,
    readonly shim: NativeShim | null,
    descriptors: DescriptorCache,
    private readonly coherence?: Coherence,
  ) {
    this.channel = new Channel(deviceFd, {
      readers: options.readers,
      inflightMax: options.inflightMax,
      bufferBytes: maxWriteBytes + requestHeaderRoomBytes,
      spinNanos: options.spinNanos,
    }, shim);
    this.inodes = new InodeTable(openRoot(options), descriptors, new Stater(shim));
  }

  start(onClosed: (error?: Error) => void): void {
    this.coherence?.add(this);
    this.channel.start((request) => this.dispatch(request), (error) => {
      this.coherence?.delete(this);
      this.closeAll();
      onClosed(error);
    });
  }

  /**
   * This session takes over a connection whose daemon died (its descriptor kept by the holder):
   * INIT was answered before with what answerInit asks for, so passthrough is as negotiated then.
   * Handle numbers start above any the dead daemon could have handed out, so that a RELEASE of one
   * of its handles never closes one of ours. Once serving, the kernel is told to resend the
   * requests the dead daemon had read but not answered.
   */
  resume(passthrough: boolean): void {
    this.passthrough = passthrough;
    this.nextHandle = Date.now() * 1024;
    this.firstHandle = this.nextHandle;
  }

  /** Asks the kernel to queue again the requests read but never answered (FUSE_NOTIFY_RESEND). */
  resendUnanswered(): void {
    this.channel.notify(notifyResend, Buffer.alloc(outHeaderBytes), 0);
  }

  get deviceFd(): number {
    return this.channel.fd;
  }

  get closed(): boolean {
    return this.channel.isClosed;
  }

  nodeidOf(dev: bigint, ino: bigint): number | undefined {
    return this.inodes.find({ dev, ino })?.nodeid;
  }

  /** A file changed through this mount: the daemon's other mounts drop its cached attributes. */
  changed(file: { dev: bigint; ino: bigint }): void {
    this.coherence?.inode(this, file.dev, file.ino);
  }

  /** Names in these directories changed through this mount: the other mounts re-read them. */
  renamed(...directories: Inode[]): void {
    for (const directory of directories) this.coherence?.inode(this, directory.dev, directory.ino);
  }

  /** A reusable reply buffer: replies are written synchronously, so one serves all sessions. */
  scratch(payloadBytes: number): Buffer {
    const needed = outHeaderBytes + payloadBytes;
    if (!scratchBuffer || scratchBuffer.length < needed) {
      scratchBuffer = Buffer.allocUnsafeSlow(Math.max(needed, 64 * 1024));
    }
    return scratchBuffer;
  }

  credentials(request: Request): Credentials {
    return effectiveCredentials(this.options, request.uid, request.gid);
  }

  /** The caller's supplementary groups (from /proc), for checks that need them. */
  groups(request: Request): GroupLookup {
    return () => {
      const cached = this.groupCache.get(request.pid);
      const now = Date.now();
      if (cached && now - cached.atMs < groupCacheTtlMs) return cached.groups;
      let groups: number[] = [];
      try {
        groups = parseStatusGroups(readFileSync(`/proc/${request.pid}/status`, "utf8"));
      } catch {
        // The caller is gone or is a kernel thread: it has no supplementary groups.
      }
      if (this.groupCache.size >= groupCacheMax) this.groupCache.clear();
      this.groupCache.set(request.pid, { groups, atMs: now });
      return groups;
    };
  }

  /** Fails with EROFS on a read-only mount (no ClientWrite). */
  requireWritable(): void {
    if (this.options.readOnly) throw errno(Errno.EROFS);
  }

  addHandle(handle: Handle): number {
    const id = this.nextHandle++;
    this.handles.set(id, handle);
    return id;
  }

  handle(id: number): Handle {
    const handle = this.handles.get(id);
    if (!handle) throw errno(Errno.EBADF);
    return handle;
  }

  /** Writes a struct fuse_entry_out at `buffer[at]`, noting what the kernel will cache. */
  writeEntry(buffer: Buffer, at: number, inode: Inode, stats: FileStats): void {
    buffer.writeBigUInt64LE(BigInt(inode.nodeid), at);
    buffer.writeBigUInt64LE(0n, at + 8);
    writeTimeout(buffer, at + 16, at + 32, this.options.entryTimeoutMs);
    writeTimeout(buffer, at + 24, at + 36, this.options.attrTimeoutMs);
    writeAttr(buffer, at + 40, stats);
    inode.seenSize = stats.size;
    inode.seenMtimeNs = stats.mtimeNs;
  }

  replyEntry(request: Request, inode: Inode, stats: FileStats): void {
    const buffer = this.scratch(entryOutBytes);
    this.writeEntry(buffer, outHeaderBytes, inode, stats);
    this.channel.reply(request.unique, buffer, entryOutBytes);
  }

  replyAttr(request: Request, stats: FileStats, inode?: Inode): void {
    const buffer = this.scratch(attrOutBytes);
    const at = outHeaderBytes;
    writeTimeout(buffer, at, at + 8, this.options.attrTimeoutMs);
    buffer.writeUInt32LE(0, at + 12);
    writeAttr(buffer, at + 16, stats);
    if (inode) {
      inode.seenSize = stats.size;
      inode.seenMtimeNs = stats.mtimeNs;
    }
    this.channel.reply(request.unique, buffer, attrOutBytes);
  }

  replyEmpty(request: Request): void {
    this.channel.reply(request.unique, this.scratch(0), 0);
  }

  replyError(request: Request, error: unknown): void {
    this.channel.replyError(request.unique, errnoOf(error));
  }

  /** Reports a size change to the metering hook. */
  metered(deltaBytes: number): void {
    if (deltaBytes !== 0) this.options.onBytesWritten?.(deltaBytes);
  }

  private dispatch(request: Request): void | Promise<void> {
    return profiling ? timed(this.handlerNanos, request.opcode, () => this.serve(request)) : this.serve(request);
  }

  private serve(request: Request): void | Promise<void> {
    const opcode = request.opcode;
    this.requestCounts.set(opcode, (this.requestCounts.get(opcode) ?? 0) + 1);
    if (opcode === Opcode.init) return answerInit(this, request);
    if (opcode === Opcode.destroy) return this.replyEmpty(request);
    if (this.releasesForgotten(request)) return this.replyEmpty(request);
    const handler = handlers.get(opcode);
    if (!handler) {
      if (opcode !== Opcode.forget && opcode !== Opcode.batchForget && opcode !== Opcode.interrupt) {
        this.channel.replyError(request.unique, Errno.ENOSYS);
      }
      return;
    }
    try {
      const pending = handler(this, request);
      if (pending) return pending.catch((error) => this.replyError(request, error));
    } catch (error) {
      this.replyError(request, error);
    }
  }

  /** FLUSH or RELEASE of a handle a dead daemon handed out: nothing is open here to close. */
  private releasesForgotten(request: Request): boolean {
    const opcode = request.opcode;
    if (this.firstHandle === 1 || (opcode !== Opcode.flush && opcode !== Opcode.release && opcode !== Opcode.releasedir)) return false;
    const fh = Number(request.buffer.readBigUInt64LE(request.body));
    return fh < this.firstHandle && !this.handles.has(fh);
  }

  private closeAll(): void {
    for (const cancel of this.interrupts.values()) cancel();
    this.interrupts.clear();
    for (const [id, handle] of this.handles) {
      this.handles.delete(id);
      if (handle.fd >= 0) closeQuietly(handle.fd);
    }
    this.inodes.clear();
  }
}

function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}

export type Handler = (session: Session, request: Request) => void | Promise<void>;

/** An O_PATH descriptor of the directory served: beneath `within` when given, through no link. */
function openRoot(options: SessionOptions): number {
  const flags = openPathFlag | constants.O_DIRECTORY;
  if (!options.within) return openSync(options.source, flags);
  const within = openSync(options.within, flags);
  try {
    return openBeneath(within, relative(options.within, options.source), flags);
  } finally {
    closeSync(within);
  }
}
