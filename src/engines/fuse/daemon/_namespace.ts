// Changes to the tree: MKNOD, MKDIR, SYMLINK, UNLINK, RMDIR, RENAME(2), LINK. Each checks the
// directories for the effective identity (write and search, sticky bits), acts as root on the
// backing store relative to pinned directory descriptors, and gives new entries to the identity.

import { closeSync, constants, lchownSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, symlinkSync, unlinkSync, type BigIntStats } from "node:fs";
import { checkName, entryStats, fileMode, nameAt, textAt, writableDirectory } from "./_common.js";
import { check, errno, Errno } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import type { FileStats } from "./_stat.js";
import { Access, isDirectory, isRegular, mayAccess, mayDeleteFrom, mayHardLink, newFileOwner } from "./_permissions.js";
import { readU64, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";

const fifoType = 0o010000;
const socketType = 0o140000;
const renameNoReplace = 1;
const renameExchange = 2;

/** Gives a just-created entry to the effective identity and answers with its entry. */
export function ownAndReply(session: Session, request: Request, parent: Inode, parentStats: FileStats, name: string): Inode {
  const path = session.inodes.childPath(parent, name);
  const owner = newFileOwner(session.credentials(request), fileMode(parentStats));
  // lchown, not chown: never follow a symlink someone could have put here meanwhile.
  if (owner.uid !== 0 || owner.gid !== 0) lchownSync(path, owner.uid, owner.gid);
  const stats = session.inodes.statChild(parent, name);
  if (!stats) throw errno(Errno.ENOENT);
  const inode = session.inodes.remember(parent, name, stats);
  session.changed(parent);
  session.replyEntry(request, inode, stats);
  return inode;
}

export function mkdir(session: Session, request: Request): void {
  const mode = request.buffer.readUInt32LE(request.body);
  const { name } = nameAt(request, request.body + 8);
  const { inode: parent, stats } = writableDirectory(session, request, request.nodeid);
  mkdirSync(session.inodes.childPath(parent, name), { mode: mode & 0o7777 });
  ownAndReply(session, request, parent, stats, name);
}

export function mknod(session: Session, request: Request): void {
  const mode = request.buffer.readUInt32LE(request.body);
  const rdev = request.buffer.readUInt32LE(request.body + 4);
  const { name } = nameAt(request, request.body + 16);
  const { inode: parent, stats } = writableDirectory(session, request, request.nodeid);
  const path = session.inodes.childPath(parent, name);
  const type = mode & 0o170000;
  if (isRegular(mode)) {
    closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, mode & 0o7777));
  } else if ((type === fifoType || type === socketType) && session.shim) {
    check(session.shim.mknod(path, mode, rdev));
  } else {
    // Device nodes are refused by design (EFS has none); FIFOs and sockets need the native shim.
    throw errno(Errno.EPERM);
  }
  ownAndReply(session, request, parent, stats, name);
}

export function symlink(session: Session, request: Request): void {
  const { name, next } = nameAt(request, request.body);
  const target = textAt(request, next);
  const { inode: parent, stats } = writableDirectory(session, request, request.nodeid);
  // Stored as given: the daemon never follows it; callers resolve it in their own namespace.
  symlinkSync(target, session.inodes.childPath(parent, name));
  ownAndReply(session, request, parent, stats, name);
}

/** Forgets the name of an inode about to lose it, keeping a descriptor so it stays reachable. */
function detach(session: Session, stats: FileStats): void {
  const inode = session.inodes.find(stats);
  if (!inode) return;
  try {
    session.inodes.descriptor(inode);
  } catch {
    // Already unreachable: later requests on it get ESTALE.
  }
  session.inodes.place(inode, null, "");
}

function removeEntry(session: Session, request: Request, directory: boolean): void {
  const { name } = nameAt(request, request.body);
  const { inode: parent, stats: parentStats } = writableDirectory(session, request, request.nodeid);
  const target = entryStats(session, parent, name);
  if (!target) throw errno(Errno.ENOENT);
  if (isDirectory(Number(target.mode)) !== directory) throw errno(directory ? Errno.ENOTDIR : Errno.EISDIR);
  if (!mayDeleteFrom(session.credentials(request), fileMode(parentStats), fileMode(target))) throw errno(Errno.EPERM);
  const path = session.inodes.childPath(parent, name);
  if (directory) rmdirSync(path);
  else unlinkSync(path);
  detach(session, target);
  session.changed(target);
  if (!directory && isRegular(Number(target.mode)) && target.nlink === 1n) session.metered(-Number(target.size));
  session.renamed(parent);
  session.replyEmpty(request);
}

export function unlink(session: Session, request: Request): void {
  removeEntry(session, request, false);
}

export function rmdir(session: Session, request: Request): void {
  removeEntry(session, request, true);
}

export function rename(session: Session, request: Request): void {
  const newdir = readU64(request.buffer, request.body);
  renameEntries(session, request, newdir, 0, request.body + 8);
}

export function rename2(session: Session, request: Request): void {
  const newdir = readU64(request.buffer, request.body);
  const flags = request.buffer.readUInt32LE(request.body + 8);
  renameEntries(session, request, newdir, flags, request.body + 16);
}

function renameEntries(session: Session, request: Request, newdir: number, flags: number, namesAt: number): void {
  const { name: oldName, next } = nameAt(request, namesAt);
  const newName = checkName(textAt(request, next));
  if (flags & ~(renameNoReplace | renameExchange) || (flags && !session.shim)) throw errno(Errno.EINVAL);
  const source = writableDirectory(session, request, request.nodeid);
  const target = newdir === request.nodeid ? source : writableDirectory(session, request, newdir);
  const credentials = session.credentials(request);
  const moving = entryStats(session, source.inode, oldName);
  if (!moving) throw errno(Errno.ENOENT);
  if (!mayDeleteFrom(credentials, fileMode(source.stats), fileMode(moving))) throw errno(Errno.EPERM);
  const replaced = entryStats(session, target.inode, newName);
  if (replaced && !mayDeleteFrom(credentials, fileMode(target.stats), fileMode(replaced))) throw errno(Errno.EPERM);
  if (isDirectory(Number(moving.mode)) && source.inode !== target.inode) {
    // Moving a directory rewrites its "..": the kernel asks for write permission on it.
    if (!mayAccess(credentials, fileMode(moving), Access.write, session.groups(request))) throw errno(Errno.EACCES);
  }
  const from = session.inodes.childPath(source.inode, oldName);
  const to = session.inodes.childPath(target.inode, newName);
  if (flags && session.shim) check(session.shim.rename2(from, to, flags));
  else renameSync(from, to);
  const movedInode = session.inodes.find(moving);
  if (replaced && replaced.ino !== moving.ino) {
    if (flags & renameExchange) {
      const other = session.inodes.find(replaced);
      if (other) session.inodes.place(other, source.inode, oldName);
    } else {
      detach(session, replaced);
      if (isRegular(Number(replaced.mode)) && replaced.nlink === 1n) session.metered(-Number(replaced.size));
    }
  }
  if (movedInode) session.inodes.place(movedInode, target.inode, newName);
  session.changed(moving);
  if (replaced) session.changed(replaced);
  session.renamed(source.inode, target.inode);
  session.replyEmpty(request);
}

export function link(session: Session, request: Request): void {
  const oldNodeid = readU64(request.buffer, request.body);
  const { name } = nameAt(request, request.body + 8);
  const { inode: parent } = writableDirectory(session, request, request.nodeid);
  const inode = session.inodes.get(oldNodeid);
  if (isDirectory(inode.type)) throw errno(Errno.EPERM);
  if (!inode.parent) throw errno(Errno.ESTALE);
  const stats = session.inodes.stat(inode);
  if (!mayHardLink(session.credentials(request), fileMode(stats), session.groups(request))) throw errno(Errno.EPERM);
  // link(2) does not follow a symlink as its source, so the parent-relative name is safe.
  const from = session.inodes.childPath(inode.parent, inode.name);
  const current = lstatSync(from, { bigint: true });
  if (current.ino !== inode.ino || current.dev !== inode.dev) throw errno(Errno.ESTALE);
  const to = session.inodes.childPath(parent, name);
  linkSync(from, to);
  const linked = lstatSync(to, { bigint: true });
  session.changed(parent);
  session.changed(linked);
  session.replyEntry(request, session.inodes.remember(parent, name, linked), linked);
}
