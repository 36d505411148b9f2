// OPEN and CREATE: permission checks for the effective identity, then a descriptor on the
// backing file, registered for passthrough when the kernel accepted it (_passthrough.ts);
// otherwise the daemon serves the data (_files.ts).

import { closeSync, constants, fchmodSync, fchownSync, ftruncateSync, openSync } from "node:fs";
import { entryStats, fileMode, nameAt, writableDirectory } from "./_common.js";
import { check, errno, Errno, errnoOf } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import type { FileStats } from "./_stat.js";
import { passthroughId, type BackingDescriptor } from "./_passthrough.js";
import { Access, isDirectory, isRegular, mayAccess, modeAfterWrite, newFileMode, newFileOwner } from "./_permissions.js";
import { entryOutBytes, notifyInvalInode, OpenFlag, openOutBytes, outHeaderBytes, type Request } from "./_protocol.js";
import type { Handle, Session } from "./_session.js";
import { meterResize, startMetering } from "./_metering.js";

const accessModeMask = 3;
const keptFlags = constants.O_SYNC | constants.O_DSYNC;
const fallbackErrors = new Set(["EACCES", "ETXTBSY", "EPERM", "EROFS"]);

function wantsWrite(flags: number): boolean {
  return (flags & accessModeMask) !== constants.O_RDONLY || (flags & constants.O_TRUNC) !== 0;
}

/** Checks the open against the effective identity and the mount's write permission. */
function checkOpen(session: Session, request: Request, stats: FileStats, flags: number): void {
  const mode = Number(stats.mode);
  if (isDirectory(mode)) throw errno(Errno.EISDIR);
  if (!isRegular(mode)) throw errno(Errno.EINVAL);
  const write = wantsWrite(flags);
  if (write) session.requireWritable();
  let wanted = write ? Access.write : 0;
  if ((flags & accessModeMask) !== constants.O_WRONLY) wanted |= Access.read;
  if (!mayAccess(session.credentials(request), fileMode(stats), wanted, session.groups(request))) {
    throw errno(Errno.EACCES);
  }
}

/** Opens the backing file read-write when allowed (it may become the shared passthrough file). */
function openBacking(session: Session, path: string, flags: number): BackingDescriptor {
  const kept = (flags & keptFlags) | constants.O_NOFOLLOW;
  if (session.options.readOnly) return { fd: openSync(path, constants.O_RDONLY | kept), readWrite: false };
  try {
    return { fd: openSync(path, constants.O_RDWR | kept), readWrite: true };
  } catch (error) {
    if (!fallbackErrors.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
    return { fd: openSync(path, (flags & accessModeMask) | kept), readWrite: false };
  }
}

/** Makes the handle for an open file and writes the fuse_open_out at `buffer[at]`. */
function makeHandle(
  session: Session,
  inode: Inode,
  backing: BackingDescriptor,
  flags: number,
  stats: FileStats,
  buffer: Buffer,
  at: number,
): void {
  const backingId = passthroughId(session, inode, backing);
  const handle: Handle = { inode, fd: backing.fd, flags, passthrough: backingId > 0, writable: wantsWrite(flags) };
  (inode.open ??= new Set()).add(backing.fd);
  if (handle.writable) startMetering(inode, stats);
  const id = session.addHandle(handle);
  buffer.writeBigUInt64LE(BigInt(id), at);
  buffer.writeUInt32LE(backingId > 0 ? OpenFlag.passthrough : 0, at + 8);
  buffer.writeInt32LE(backingId, at + 12);
}

/** Close-to-open consistency: if the file changed since the kernel last heard, drop its cached attributes. */
function refreshIfChanged(session: Session, inode: Inode, stats: FileStats, changed = false): void {
  if (!changed && inode.seenSize === stats.size && inode.seenMtimeNs === stats.mtimeNs) return;
  const buffer = Buffer.allocUnsafe(outHeaderBytes + 24);
  buffer.writeBigUInt64LE(BigInt(inode.nodeid), outHeaderBytes);
  buffer.writeBigInt64LE(-1n, outHeaderBytes + 8);
  buffer.writeBigInt64LE(0n, outHeaderBytes + 16);
  session.channel.notify(notifyInvalInode, buffer, 24);
}

export function open(session: Session, request: Request): void {
  const flags = request.buffer.readUInt32LE(request.body);
  const inode = session.inodes.get(request.nodeid);
  if (!inode.parent) throw errno(Errno.ESTALE);
  const stats = session.inodes.stat(inode);
  checkOpen(session, request, stats, flags);
  const backing = openVerified(session, inode, flags);
  try {
    // Passthrough writes never reach the daemon: drop set-id bits when a non-root writer opens.
    const killed = wantsWrite(flags) ? modeAfterWrite(session.credentials(request), Number(stats.mode)) : undefined;
    if (killed !== undefined) fchmodSync(backing.fd, killed);
    let current = stats;
    if (flags & constants.O_TRUNC && stats.size > 0n) {
      ftruncateSync(backing.fd, 0);
      meterResize(session, inode, Number(stats.size), 0);
      current = session.inodes.stater.fd(backing.fd);
    }
    refreshIfChanged(session, inode, stats, killed !== undefined);
    const buffer = session.scratch(openOutBytes);
    makeHandle(session, inode, backing, flags, current, buffer, outHeaderBytes);
    session.channel.reply(request.unique, buffer, openOutBytes);
  } catch (error) {
    closeSync(backing.fd);
    throw error;
  }
}

/** Opens the inode by its parent and name, refusing symlinks and checking it is still the same file. */
function openVerified(session: Session, inode: Inode, flags: number): BackingDescriptor {
  const backing = openBacking(session, session.inodes.childPath(inode.parent as Inode, inode.name), flags);
  const stats = session.inodes.stater.fd(backing.fd);
  if (stats.ino !== inode.ino || stats.dev !== inode.dev) {
    closeSync(backing.fd);
    throw errno(Errno.ESTALE);
  }
  return backing;
}

export function create(session: Session, request: Request): void {
  const body = request.body;
  const flags = request.buffer.readUInt32LE(body);
  const mode = request.buffer.readUInt32LE(body + 4);
  const { name } = nameAt(request, body + 16);
  const { inode: parent, stats: parentStats } = writableDirectory(session, request, request.nodeid);
  const credentials = session.credentials(request);
  const openFlags = constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | constants.O_NOFOLLOW | (flags & keptFlags);
  let fd: number;
  try {
    fd = session.shim
      ? check(session.shim.openat(session.inodes.descriptor(parent), name, openFlags, mode & 0o7777))
      : openSync(session.inodes.childPath(parent, name), openFlags, mode & 0o7777);
  } catch (error) {
    if (errnoOf(error) !== Errno.EEXIST || flags & constants.O_EXCL) throw error;
    return createExisting(session, request, parent, name, flags);
  }
  try {
    const owner = newFileOwner(credentials, fileMode(parentStats));
    if (owner.uid !== 0 || owner.gid !== 0) fchownSync(fd, owner.uid, owner.gid);
    const wantedMode = newFileMode(credentials, owner, mode & 0o7777, session.groups(request));
    if (wantedMode !== (mode & 0o7777) || mode & 0o6000) fchmodSync(fd, wantedMode);
    const stats = session.inodes.stater.fd(fd);
    const inode = session.inodes.remember(parent, name, stats);
    session.changed(parent);
    const buffer = session.scratch(entryOutBytes + openOutBytes);
    session.writeEntry(buffer, outHeaderBytes, inode, stats);
    makeHandle(session, inode, { fd, readWrite: true }, flags, stats, buffer, outHeaderBytes + entryOutBytes);
    session.channel.reply(request.unique, buffer, entryOutBytes + openOutBytes);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** CREATE without O_EXCL of a name that appeared meanwhile: an ordinary open of that file. */
function createExisting(session: Session, request: Request, parent: Inode, name: string, flags: number): void {
  const stats = entryStats(session, parent, name);
  if (!stats) throw errno(Errno.ENOENT);
  checkOpen(session, request, stats, flags);
  const inode = session.inodes.remember(parent, name, stats);
  let backing: BackingDescriptor | undefined;
  try {
    backing = openVerified(session, inode, flags);
    if (flags & constants.O_TRUNC && stats.size > 0n) {
      ftruncateSync(backing.fd, 0);
      meterResize(session, inode, Number(stats.size), 0);
    }
    const current = session.inodes.stater.fd(backing.fd);
    const buffer = session.scratch(entryOutBytes + openOutBytes);
    session.writeEntry(buffer, outHeaderBytes, inode, current);
    makeHandle(session, inode, backing, flags, current, buffer, outHeaderBytes + entryOutBytes);
    session.channel.reply(request.unique, buffer, entryOutBytes + openOutBytes);
  } catch (error) {
    if (backing) closeSync(backing.fd);
    session.inodes.forget(inode.nodeid, 1);
    throw error;
  }
}
