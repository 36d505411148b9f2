// Data on open files: READ and WRITE (when passthrough is off) as positioned, asynchronous I/O on
// the backing descriptor through libuv's pool, so the event loop never waits on the disk; FLUSH,
// RELEASE and FSYNC; and the metering of size changes, measured at close so that passthrough
// writes, which never reach the daemon, are counted too.

import { closeSync, fchmodSync, fdatasync, fstatSync, fsync, read, write, type BigIntStats } from "node:fs";
import { errnoOf } from "./_errors.js";
import type { Inode, InodeState } from "./_inodes.js";
import { releaseFlock, releaseLocks } from "./_locks.js";
import { releasePassthrough } from "./_open.js";
import { modeAfterWrite } from "./_permissions.js";
import { fsyncFlagDatasync, outHeaderBytes, readU64, writeFlagKillSuidgid, type Request } from "./_protocol.js";
import type { Handle, Session } from "./_session.js";

const writeOutBytes = 8;

/** The size of a file as last metered, shared by the handles writing it. */
class Meter implements InodeState {
  writers = 0;
  constructor(public sizeBytes: number) {}
  close(): void {}
}

export function startMetering(inode: Inode, stats: BigIntStats): void {
  let meter = inode.state.get("meter") as Meter | undefined;
  if (!meter) {
    meter = new Meter(Number(stats.size));
    inode.state.set("meter", meter);
  }
  meter.writers += 1;
}

/** Meters a truncation made by SETATTR, keeping open writers' baseline in step. */
export function meterResize(session: Session, inode: Inode, fromBytes: number, toBytes: number): void {
  const meter = inode.state.get("meter") as Meter | undefined;
  if (meter) {
    session.metered(toBytes - meter.sizeBytes);
    meter.sizeBytes = toBytes;
  } else {
    session.metered(toBytes - fromBytes);
  }
}

/** Meters a writable handle's size change and tells the other mounts the file changed. */
function measure(session: Session, handle: Handle): void {
  session.changed(handle.inode);
  const meter = handle.inode.state.get("meter") as Meter | undefined;
  if (!meter || handle.fd < 0) return;
  const size = Number(fstatSync(handle.fd).size);
  session.metered(size - meter.sizeBytes);
  meter.sizeBytes = size;
}

function stopMetering(inode: Inode): void {
  const meter = inode.state.get("meter") as Meter | undefined;
  if (!meter) return;
  meter.writers -= 1;
  if (meter.writers <= 0) inode.state.delete("meter");
}

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
    const killed = modeAfterWrite(session.credentials(request), Number(fstatSync(handle.fd).mode));
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
  if (handle.writable) measure(session, handle);
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
