// Data on open files: READ and WRITE (when passthrough is off) as positioned, asynchronous I/O on
// the backing descriptor through libuv's pool, so the event loop never waits on the disk; and
// FLUSH, RELEASE and FSYNC.

import { closeSync, fchmodSync, fdatasync, fsync, read, write } from "node:fs";
import { errnoOf } from "./_errors.js";
import { releaseFlock, releaseLocks } from "./_locks.js";
import { measure, stopMetering } from "./_metering.js";
import { releasePassthrough } from "./_passthrough.js";
import { modeAfterWrite } from "./_permissions.js";
import { fsyncFlagDatasync, outHeaderBytes, readU64, writeFlagKillSuidgid, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";

const writeOutBytes = 8;

export function readData(session: Session, request: Request): Promise<void> {
  const body = request.body;
  const handle = session.handle(readU64(request.buffer, body));
  const offset = readU64(request.buffer, body + 8);
  const size = Math.min(request.buffer.readUInt32LE(body + 16), request.buffer.length - outHeaderBytes);
  // The request buffer is free once parsed: the data is read straight into it behind the header.
  return new Promise((resolve) => {
    read(handle.fd, request.buffer, outHeaderBytes, size, offset, (error, bytes) => {
      if (error) session.channel.replyError(request.unique, errnoOf(error));
      else session.channel.reply(request.unique, request.buffer, bytes);
      resolve();
    });
  });
}

export function writeData(session: Session, request: Request): Promise<void> {
  const body = request.body;
  const handle = session.handle(readU64(request.buffer, body));
  const offset = readU64(request.buffer, body + 8);
  const size = request.buffer.readUInt32LE(body + 16);
  const dataAt = body + 40;
  if (request.buffer.readUInt32LE(body + 20) & writeFlagKillSuidgid) {
    const killed = modeAfterWrite(session.credentials(request), Number(session.inodes.stater.fd(handle.fd).mode));
    if (killed !== undefined) fchmodSync(handle.fd, killed);
  }
  return new Promise((resolve) => {
    write(handle.fd, request.buffer, dataAt, Math.min(size, request.end - dataAt), offset, (error, bytes) => {
      if (error) {
        session.channel.replyError(request.unique, errnoOf(error));
      } else {
        const buffer = session.scratch(writeOutBytes);
        buffer.writeUInt32LE(bytes, outHeaderBytes);
        buffer.writeUInt32LE(0, outHeaderBytes + 4);
        session.channel.reply(request.unique, buffer, writeOutBytes);
      }
      resolve();
    });
  });
}

export function flush(session: Session, request: Request): void {
  const handle = session.handle(readU64(request.buffer, request.body));
  releaseLocks(handle.inode, request.buffer.readBigUInt64LE(request.body + 16));
  // The size is metered at RELEASE, which follows the last close at once; here the daemon's
  // other mounts only hear that the file changed (close-to-open consistency).
  if (handle.writable) session.changed(handle.inode);
  session.replyEmpty(request);
}

export function release(session: Session, request: Request): void {
  const id = readU64(request.buffer, request.body);
  const handle = session.handles.get(id);
  session.replyEmpty(request);
  if (!handle) return;
  session.handles.delete(id);
  if (handle.writable) {
    measure(session, handle);
    stopMetering(handle.inode);
  }
  if (handle.passthrough) releasePassthrough(handle.inode);
  releaseLocks(handle.inode, request.buffer.readBigUInt64LE(request.body + 16));
  // The descriptor may live on as the kernel's passthrough file: drop its flock explicitly.
  releaseFlock(session, handle);
  handle.inode.open?.delete(handle.fd);
  // Closing a local file is quick; a round trip through the pool would cost more than the call.
  closeSync(handle.fd);
  session.inodes.settle(handle.inode);
}

export function syncData(session: Session, request: Request): Promise<void> {
  const handle = session.handle(readU64(request.buffer, request.body));
  const dataOnly = (request.buffer.readUInt32LE(request.body + 8) & fsyncFlagDatasync) !== 0;
  return new Promise((resolve) => {
    const done = (error: NodeJS.ErrnoException | null) => {
      if (error) session.channel.replyError(request.unique, errnoOf(error));
      else session.replyEmpty(request);
      resolve();
    };
    if (dataOnly) fdatasync(handle.fd, done);
    else fsync(handle.fd, done);
  });
}
