// File locks that every mount of the same backing file sees: flock(2) locks become flock on the
// handle's own backing descriptor; POSIX record locks become open-file-description locks on one
// backing descriptor per (inode, lock owner), so they conflict across mounts and with processes
// on the backing store, and closing that descriptor drops them all at once, as POSIX wants on
// close. Blocking requests are retried with a growing delay until they succeed or are
// interrupted; they never hold a request buffer while they wait.

import { closeSync, constants, openSync } from "node:fs";
import { errno, Errno, errnoOf } from "./_errors.js";
import type { Inode, InodeState } from "./_inodes.js";
import { LockOperation, LockType, type NativeShim } from "./_native.js";
import { lockFlagFlock, outHeaderBytes, readU64, type Request } from "./_protocol.js";
import type { Handle, Session } from "./_session.js";

const offsetMax = 0x7fffffffffffffffn;
const lockOutBytes = 24;
const retryDelayMinMs = 1;
const retryDelayMaxMs = 50;

/** The per-owner descriptors that carry an inode's POSIX locks. */
class LockOwners implements InodeState {
  readonly fds = new Map<bigint, number>();
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

interface LockRequest {
  handleId: number;
  handle: Handle;
  owner: bigint;
  start: bigint;
  end: bigint;
  type: number;
  flock: boolean;
}

function parse(session: Session, request: Request): LockRequest {
  const body = request.body;
  const handleId = readU64(request.buffer, body);
  return {
    handleId,
    handle: session.handle(handleId),
    owner: request.buffer.readBigUInt64LE(body + 8),
    start: request.buffer.readBigUInt64LE(body + 16),
    end: request.buffer.readBigUInt64LE(body + 24),
    type: request.buffer.readUInt32LE(body + 32),
    flock: (request.buffer.readUInt32LE(body + 40) & lockFlagFlock) !== 0,
  };
}

function shimOf(session: Session): NativeShim {
  if (!session.shim) throw errno(Errno.ENOSYS);
  return session.shim;
}

function ownerDescriptor(session: Session, handle: Handle, owner: bigint): number {
  let owners = handle.inode.state.get("locks") as LockOwners | undefined;
  if (!owners) {
    owners = new LockOwners();
    handle.inode.state.set("locks", owners);
  }
  let fd = owners.fds.get(owner);
  if (fd === undefined) {
    // Reopening the handle's descriptor through /proc gives a new open file description.
    const mode = session.options.readOnly ? constants.O_RDONLY : constants.O_RDWR;
    fd = openSync(`/proc/self/fd/${handle.fd}`, mode);
    owners.fds.set(owner, fd);
  }
  return fd;
}

function lengthOf(lock: LockRequest): number {
  return lock.end >= offsetMax ? 0 : Number(lock.end - lock.start + 1n);
}

/** One non-blocking attempt: 0, or a negative errno (EAGAIN on conflict). */
function attempt(session: Session, lock: LockRequest): number {
  const shim = shimOf(session);
  if (lock.flock) {
    lock.handle.flocked = true;
    const operation = lock.type === LockType.read ? LockOperation.shared : lock.type === LockType.write ? LockOperation.exclusive : LockOperation.unlock;
    return shim.flock(lock.handle.fd, operation);
  }
  const fd = ownerDescriptor(session, lock.handle, lock.owner);
  return shim.recordLock(fd, 1, lock.type, Number(lock.start), lengthOf(lock));
}

export function getlk(session: Session, request: Request): void {
  const shim = shimOf(session);
  const lock = parse(session, request);
  const out = new Float64Array(3);
  const fd = ownerDescriptor(session, lock.handle, lock.owner);
  const result = shim.recordLock(fd, 0, lock.type, Number(lock.start), lengthOf(lock), out);
  if (result < 0) throw errno(-result);
  const buffer = session.scratch(lockOutBytes);
  const at = outHeaderBytes;
  const conflict = out[0] !== LockType.unlock;
  const start = conflict ? BigInt(out[1]) : lock.start;
  const end = conflict ? (out[2] === 0 ? offsetMax : BigInt(out[1] + out[2] - 1)) : lock.end;
  buffer.writeBigUInt64LE(start, at);
  buffer.writeBigUInt64LE(end, at + 8);
  buffer.writeUInt32LE(conflict ? out[0] : LockType.unlock, at + 16);
  // The holder's pid is unknown for open-file-description locks; 0 reads as "no pid".
  buffer.writeUInt32LE(0, at + 20);
  session.channel.reply(request.unique, buffer, lockOutBytes);
}

export function setlk(session: Session, request: Request): void {
  const result = attempt(session, parse(session, request));
  if (result < 0) throw errno(-result);
  session.replyEmpty(request);
}

export function setlkw(session: Session, request: Request): void {
  const lock = parse(session, request);
  const unique = request.unique;
  let delayMs = retryDelayMinMs;
  let timer: NodeJS.Timeout | undefined;
  const finish = (errnoValue: number) => {
    session.interrupts.delete(unique);
    if (timer) clearTimeout(timer);
    if (errnoValue) session.channel.replyError(unique, errnoValue);
    else session.channel.reply(unique, session.scratch(0), 0);
  };
  const tryOnce = () => {
    timer = undefined;
    let result: number;
    try {
      // The file may have been closed while this request waited.
      result = session.handles.get(lock.handleId) === lock.handle ? attempt(session, lock) : -Errno.EBADF;
    } catch (error) {
      result = -errnoOf(error);
    }
    if (result === -Errno.EAGAIN) {
      timer = setTimeout(tryOnce, delayMs);
      delayMs = Math.min(delayMs * 2, retryDelayMaxMs);
      return;
    }
    finish(result < 0 ? -result : 0);
  };
  session.interrupts.set(unique, () => finish(Errno.EINTR));
  tryOnce();
}

export function interrupt(session: Session, request: Request): void {
  session.interrupts.get(request.buffer.readBigUInt64LE(request.body))?.();
}

/** POSIX: closing any descriptor of a file drops all its owner's locks on it. */
export function releaseLocks(inode: Inode, owner: bigint): void {
  const owners = inode.state.get("locks") as LockOwners | undefined;
  const fd = owners?.fds.get(owner);
  if (!owners || fd === undefined) return;
  owners.fds.delete(owner);
  closeSync(fd);
  if (owners.fds.size === 0) inode.state.delete("locks");
}

/** Drops a flock held through the handle's descriptor before it is closed. */
export function releaseFlock(session: Session, handle: Handle): void {
  if (handle.flocked) session.shim?.flock(handle.fd, LockOperation.unlock);
}
