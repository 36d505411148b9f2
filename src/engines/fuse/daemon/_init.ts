// The INIT handshake: which protocol features Moor's daemon asks the kernel for, and why.

import { Errno } from "./_errors.js";
import {
  InitFlag,
  initFlag2Passthrough,
  initOutBytes,
  maxWriteBytes,
  outHeaderBytes,
  protocolMajor,
  protocolMinor,
  type Request,
} from "./_protocol.js";
import type { Session } from "./_session.js";

const wanted =
  InitFlag.asyncRead |
  // O_TRUNC arrives with OPEN, so truncation is checked and done in one request.
  InitFlag.atomicOTrunc |
  InitFlag.bigWrites |
  // Cached pages are dropped when another mount changed the file (size or mtime moved).
  InitFlag.autoInvalData |
  InitFlag.doReaddirplus |
  InitFlag.readdirplusAuto |
  InitFlag.asyncDio |
  InitFlag.parallelDirops |
  InitFlag.maxPages |
  InitFlag.cacheSymlinks |
  // The daemon drops set-id bits itself, so the kernel need not ask for security.capability
  // before every write (one GETXATTR per write otherwise, even with passthrough).
  InitFlag.handleKillprivV2 |
  InitFlag.initExt;

export function answerInit(session: Session, request: Request): void {
  const body = request.body;
  const major = request.buffer.readUInt32LE(body);
  const maxReadahead = request.buffer.readUInt32LE(body + 8);
  const offered = request.buffer.readUInt32LE(body + 12);
  const offered2 = offered & InitFlag.initExt ? request.buffer.readUInt32LE(body + 16) : 0;
  if (major !== protocolMajor) {
    session.channel.replyError(request.unique, Errno.EIO);
    return;
  }
  // Locks seen across mounts need the shim's flock and OFD locks; without it the kernel keeps
  // locks per mount.
  const locks = session.shim ? InitFlag.posixLocks | InitFlag.flockLocks : 0;
  const flags = (offered & (wanted | locks)) >>> 0;
  const passthroughWanted = session.shim !== null && process.env.MOOR_FUSE_PASSTHROUGH !== "0";
  const flags2 = passthroughWanted ? offered2 & initFlag2Passthrough : 0;
  session.passthrough = flags2 !== 0;
  const buffer = session.scratch(initOutBytes).fill(0, 0, outHeaderBytes + initOutBytes);
  const at = outHeaderBytes;
  buffer.writeUInt32LE(protocolMajor, at);
  buffer.writeUInt32LE(protocolMinor, at + 4);
  buffer.writeUInt32LE(maxReadahead, at + 8);
  buffer.writeUInt32LE(flags, at + 12);
  buffer.writeUInt16LE(64, at + 16); // max_background
  buffer.writeUInt16LE(48, at + 18); // congestion_threshold
  buffer.writeUInt32LE(maxWriteBytes, at + 20);
  buffer.writeUInt32LE(1, at + 24); // time_gran: nanoseconds
  buffer.writeUInt16LE(maxWriteBytes / 4096, at + 28); // max_pages
  buffer.writeUInt32LE(flags2, at + 32);
  // Passthrough needs a stacking depth: the backing files live on a plain (depth 0) file system.
  buffer.writeUInt32LE(session.passthrough ? 1 : 0, at + 36);
  session.channel.reply(request.unique, buffer, initOutBytes);
}
