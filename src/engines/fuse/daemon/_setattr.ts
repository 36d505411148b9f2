// SETATTR: chmod, chown, truncate and utimes, each checked for the effective identity the way
// the kernel's setattr_prepare would, then done by the daemon (as root) on the backing file:
// through the open handle when the caller named one (futimens, fchmod, ftruncate: what tar does
// for every file it writes), else through the inode's descriptor.

import { chmodSync, chownSync, fchmodSync, fchownSync, ftruncateSync, lchownSync, truncateSync, utimesSync, futimesSync } from "node:fs";
import { fileMode } from "./_common.js";
import { check, errno, Errno } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import type { FileStats } from "./_stat.js";
import {
  Access,
  effectiveNewMode,
  isRegular,
  isSymlink,
  mayAccess,
  mayChangeMode,
  mayChangeOwner,
  maySetTimes,
  modeAfterWrite,
  onlyClearsSetIdBits,
} from "./_permissions.js";
import { meterResize } from "./_metering.js";
import { readU64, SetattrValid, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";

const utimeNow = (1 << 30) - 1;
const utimeOmit = (1 << 30) - 2;

interface SetattrIn {
  valid: number;
  fh: number;
  size: number;
  atime: number;
  mtime: number;
  atimeNsec: number;
  mtimeNsec: number;
  mode: number;
  uid: number;
  gid: number;
}

function parse(request: Request): SetattrIn {
  const buffer = request.buffer;
  const at = request.body;
  return {
    valid: buffer.readUInt32LE(at),
    fh: readU64(buffer, at + 8),
    size: readU64(buffer, at + 16),
    atime: Number(buffer.readBigInt64LE(at + 32)),
    mtime: Number(buffer.readBigInt64LE(at + 40)),
    atimeNsec: buffer.readUInt32LE(at + 56),
    mtimeNsec: buffer.readUInt32LE(at + 60),
    mode: buffer.readUInt32LE(at + 68),
    uid: buffer.readUInt32LE(at + 76),
    gid: buffer.readUInt32LE(at + 80),
  };
}

/** Where a change is made: the caller's open descriptor of the file, or else the inode's path. */
interface Target {
  inode: Inode;
  /** The open handle's backing descriptor, or -1. */
  fd: number;
  /** Whether the caller changes the file through a handle it opened for writing. */
  writableHandle: boolean;
}

/**
 * The caller's handle when the kernel names one (ftruncate does), else any descriptor the daemon
 * holds open on the file (utimens and fchmod carry no handle, but tar sets the times of every
 * file it writes while it still has the file open). Truncation without a handle goes by path.
 */
function targetOf(session: Session, inode: Inode, change: SetattrIn): Target {
  const handle = change.valid & SetattrValid.fh ? session.handles.get(change.fh) : undefined;
  if (handle && handle.inode === inode && handle.fd >= 0) return { inode, fd: handle.fd, writableHandle: handle.writable };
  const open = change.valid & SetattrValid.size ? undefined : inode.open?.values().next().value;
  return { inode, fd: open ?? -1, writableHandle: false };
}

function statOf(session: Session, target: Target): FileStats {
  return target.fd >= 0 ? session.inodes.stater.fd(target.fd) : session.inodes.stat(target.inode);
}

export function setattr(session: Session, request: Request): void {
  session.requireWritable();
  const inode = session.inodes.get(request.nodeid);
  const change = parse(request);
  const target = targetOf(session, inode, change);
  const stats = statOf(session, target);
  if (change.valid & SetattrValid.mode) changeMode(session, request, target, stats, change.mode);
  if (change.valid & (SetattrValid.uid | SetattrValid.gid)) changeOwner(session, request, target, stats, change);
  if (change.valid & SetattrValid.size) truncate(session, request, target, stats, change);
  if (change.valid & (SetattrValid.atime | SetattrValid.mtime)) changeTimes(session, request, target, stats, change);
  if (change.valid & SetattrValid.killSuidgid && !(change.valid & SetattrValid.mode) && !isSymlink(inode.type)) {
    const killed = modeAfterWrite(session.credentials(request), Number(stats.mode));
    if (killed !== undefined) chmodOf(session, target, killed);
  }
  session.changed(inode);
  session.replyAttr(request, statOf(session, target), inode);
}

function chmodOf(session: Session, target: Target, mode: number): void {
  if (target.fd >= 0) fchmodSync(target.fd, mode);
  else chmodSync(session.inodes.path(target.inode), mode);
}

function changeMode(session: Session, request: Request, target: Target, stats: FileStats, mode: number): void {
  const credentials = session.credentials(request);
  const groups = session.groups(request);
  const file = fileMode(stats);
  const allowed =
    mayChangeMode(credentials, file) ||
    // After a write by a non-owner the kernel asks to drop set-id bits: allowed to writers.
    (onlyClearsSetIdBits(file, mode) && mayAccess(credentials, file, Access.write, groups));
  if (!allowed) throw errno(Errno.EPERM);
  if (isSymlink(target.inode.type)) throw errno(Errno.EOPNOTSUPP);
  chmodOf(session, target, effectiveNewMode(credentials, file, mode & 0o7777, groups));
}

function changeOwner(session: Session, request: Request, target: Target, stats: FileStats, change: SetattrIn): void {
  const inode = target.inode;
  const uid = change.valid & SetattrValid.uid ? change.uid : undefined;
  const gid = change.valid & SetattrValid.gid ? change.gid : undefined;
  if (!mayChangeOwner(session.credentials(request), fileMode(stats), uid, gid, session.groups(request))) {
    throw errno(Errno.EPERM);
  }
  if (isSymlink(inode.type)) {
    lchownSync(verifiedChildPath(session, inode), uid ?? -1, gid ?? -1);
  } else if (target.fd >= 0) {
    fchownSync(target.fd, uid ?? -1, gid ?? -1);
  } else {
    chownSync(session.inodes.path(inode), uid ?? -1, gid ?? -1);
  }
}

function truncate(session: Session, request: Request, target: Target, stats: FileStats, change: SetattrIn): void {
  const inode = target.inode;
  if (!isRegular(inode.type)) throw errno(inode.type === 0o040000 ? Errno.EISDIR : Errno.EINVAL);
  const allowed =
    target.fd >= 0
      ? target.writableHandle
      : mayAccess(session.credentials(request), fileMode(stats), Access.write, session.groups(request));
  if (!allowed) throw errno(Errno.EACCES);
  if (target.fd >= 0) ftruncateSync(target.fd, change.size);
  else truncateSync(session.inodes.path(inode), change.size);
  meterResize(session, inode, Number(stats.size), change.size);
}

function changeTimes(session: Session, request: Request, target: Target, stats: FileStats, change: SetattrIn): void {
  const inode = target.inode;
  const atimeNow = (change.valid & SetattrValid.atime) !== 0 && (change.valid & SetattrValid.atimeNow) !== 0;
  const mtimeNow = (change.valid & SetattrValid.mtime) !== 0 && (change.valid & SetattrValid.mtimeNow) !== 0;
  // Only both times set to now is a touch, which write access allows; one time set to now and
  // the other omitted needs ownership, as utimensat(2) has it natively.
  const toNow = atimeNow && mtimeNow;
  if (!maySetTimes(session.credentials(request), fileMode(stats), toNow, session.groups(request))) {
    throw errno(toNow ? Errno.EACCES : Errno.EPERM);
  }
  const symlink = isSymlink(inode.type);
  const atimeNsec = !(change.valid & SetattrValid.atime) ? utimeOmit : atimeNow ? utimeNow : change.atimeNsec;
  const mtimeNsec = !(change.valid & SetattrValid.mtime) ? utimeOmit : mtimeNow ? utimeNow : change.mtimeNsec;
  if (session.shim && target.fd >= 0) {
    check(session.shim.futimens(target.fd, change.atime, atimeNsec, change.mtime, mtimeNsec));
    return;
  }
  const path = symlink ? verifiedChildPath(session, inode) : session.inodes.path(inode);
  if (session.shim) {
    check(session.shim.utimens(path, change.atime, atimeNsec, change.mtime, mtimeNsec, symlink ? 1 : 0));
    return;
  }
  // Without the shim, Node's utimes takes seconds as a double: about microsecond precision.
  if (symlink) throw errno(Errno.EOPNOTSUPP);
  const nowSeconds = Date.now() / 1000;
  const atime = !(change.valid & SetattrValid.atime) ? Number(stats.atimeNs) / 1e9 : atimeNow ? nowSeconds : change.atime + change.atimeNsec / 1e9;
  const mtime = !(change.valid & SetattrValid.mtime) ? Number(stats.mtimeNs) / 1e9 : mtimeNow ? nowSeconds : change.mtime + change.mtimeNsec / 1e9;
  if (target.fd >= 0) futimesSync(target.fd, atime, mtime);
  else utimesSync(path, atime, mtime);
}

/** A path to a symlink inode through its parent, checked to still name that inode. */
function verifiedChildPath(session: Session, inode: Inode): string {
  if (!inode.parent) throw errno(Errno.ESTALE);
  const stats = session.inodes.statChild(inode.parent, inode.name);
  if (!stats) throw errno(Errno.ENOENT);
  if (stats.ino !== inode.ino || stats.dev !== inode.dev) throw errno(Errno.ESTALE);
  return session.inodes.childPath(inode.parent, inode.name);
}
