// Finding files and reading their metadata: LOOKUP, FORGET, GETATTR, READLINK, ACCESS, STATFS.
// Lookups need search permission on the directory for the effective identity; the kernel does
// not check it on a mount without default_permissions.

import { readlinkSync, statfsSync } from "node:fs";
import { entryStats, fileMode, nameAt, nameMaxBytes } from "./_common.js";
import { errno, Errno } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import { Access, isDirectory, isSymlink, mayAccess } from "./_permissions.js";
import { getattrFlagFh, outHeaderBytes, readU64, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";

const statfsOutBytes = 80;

export function lookup(session: Session, request: Request): void {
  const parent = session.inodes.get(request.nodeid);
  const { name } = nameAt(request, request.body);
  if (!isDirectory(parent.type)) throw errno(Errno.ENOTDIR);
  const parentStats = session.inodes.statDirectory(parent);
  if (!mayAccess(session.credentials(request), fileMode(parentStats), Access.execute, session.groups(request))) {
    throw errno(Errno.EACCES);
  }
  const stats = entryStats(session, parent, name);
  if (!stats) throw errno(Errno.ENOENT);
  session.replyEntry(request, session.inodes.remember(parent, name, stats), stats);
}

export function forget(session: Session, request: Request): void {
  session.inodes.forget(request.nodeid, readU64(request.buffer, request.body));
}

export function batchForget(session: Session, request: Request): void {
  const count = request.buffer.readUInt32LE(request.body);
  let at = request.body + 8;
  for (let index = 0; index < count && at + 16 <= request.end; index += 1, at += 16) {
    session.inodes.forget(readU64(request.buffer, at), readU64(request.buffer, at + 8));
  }
}

export function getattr(session: Session, request: Request): void {
  const flags = request.buffer.readUInt32LE(request.body);
  const inode = session.inodes.get(request.nodeid);
  if (flags & getattrFlagFh) {
    const handle = session.handles.get(readU64(request.buffer, request.body + 8));
    if (handle && handle.fd >= 0) {
      session.replyAttr(request, session.inodes.stater.fd(handle.fd), inode);
      return;
    }
  }
  session.replyAttr(request, session.inodes.stat(inode), inode);
}

/** The target of a symlink inode, read through its parent so the link itself is never followed. */
export function readSymlink(session: Session, inode: Inode): Buffer {
  if (!inode.parent) throw errno(Errno.ESTALE);
  const stats = session.inodes.statChild(inode.parent, inode.name);
  if (!stats) throw errno(Errno.ENOENT);
  if (stats.ino !== inode.ino || stats.dev !== inode.dev) throw errno(Errno.ESTALE);
  return readlinkSync(session.inodes.childPath(inode.parent, inode.name), { encoding: "buffer" });
}

export function readlink(session: Session, request: Request): void {
  const inode = session.inodes.get(request.nodeid);
  if (!isSymlink(inode.type)) throw errno(Errno.EINVAL);
  const target = readSymlink(session, inode);
  const buffer = session.scratch(target.length);
  target.copy(buffer, outHeaderBytes);
  session.channel.reply(request.unique, buffer, target.length);
}

export function access(session: Session, request: Request): void {
  const mask = request.buffer.readUInt32LE(request.body) & 7;
  const stats = session.inodes.stat(session.inodes.get(request.nodeid));
  if (mask & Access.write && session.options.readOnly) throw errno(Errno.EROFS);
  if (!mayAccess(session.credentials(request), fileMode(stats), mask, session.groups(request))) {
    throw errno(Errno.EACCES);
  }
  session.replyEmpty(request);
}

export function statfs(session: Session, request: Request): void {
  const stats = statfsSync(session.inodes.path(session.inodes.root), { bigint: true });
  const buffer = session.scratch(statfsOutBytes).fill(0, outHeaderBytes, outHeaderBytes + statfsOutBytes);
  const at = outHeaderBytes;
  buffer.writeBigUInt64LE(stats.blocks, at);
  buffer.writeBigUInt64LE(stats.bfree, at + 8);
  buffer.writeBigUInt64LE(stats.bavail, at + 16);
  buffer.writeBigUInt64LE(stats.files, at + 24);
  buffer.writeBigUInt64LE(stats.ffree, at + 32);
  buffer.writeUInt32LE(Number(stats.bsize), at + 40);
  buffer.writeUInt32LE(nameMaxBytes, at + 44);
  buffer.writeUInt32LE(Number(stats.bsize), at + 48);
  session.channel.reply(request.unique, buffer, statfsOutBytes);
}
