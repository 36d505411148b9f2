// Extended attributes, through the native shim, with the kernel's xattr_permission rules applied
// to the effective identity: user.* on regular files and directories with read/write permission,
// trusted.* and writes to security.* for root only, system.* (POSIX ACLs) not supported because
// ACLs would grant access the daemon's mode-bit checks do not see.

import { fileMode } from "./_common.js";
import { errno, Errno } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import { Access, isDirectory, isRegular, isSymlink, mayAccess, mayChangeMode } from "./_permissions.js";
import { outHeaderBytes, readName, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";
import type { NativeShim } from "./_native.js";

const sizeOutBytes = 8;
const stickyBit = 0o1000;
const valueMaxBytes = 64 * 1024;

function shimOf(session: Session): NativeShim {
  if (!session.shim) throw errno(Errno.EOPNOTSUPP);
  return session.shim;
}

/** Checks access to attribute `name` of `inode`; throws the errno Linux would give. */
function checkAttribute(session: Session, request: Request, inode: Inode, name: string, write: boolean): void {
  if (write) session.requireWritable();
  const credentials = session.credentials(request);
  const root = credentials.uid === 0;
  if (name.startsWith("system.")) throw errno(Errno.EOPNOTSUPP);
  if (name.startsWith("trusted.")) {
    if (!root) throw errno(write ? Errno.EPERM : Errno.ENODATA);
    return;
  }
  if (name.startsWith("security.")) {
    if (write && !root) throw errno(Errno.EPERM);
    return;
  }
  if (!name.startsWith("user.")) throw errno(Errno.EOPNOTSUPP);
  if (!isRegular(inode.type) && !isDirectory(inode.type)) throw errno(write ? Errno.EPERM : Errno.ENODATA);
  const stats = session.inodes.stat(inode);
  const file = fileMode(stats);
  if (write && isDirectory(file.mode) && file.mode & stickyBit && !mayChangeMode(credentials, file)) {
    throw errno(Errno.EPERM);
  }
  if (!mayAccess(credentials, file, write ? Access.write : Access.read, session.groups(request))) {
    throw errno(Errno.EACCES);
  }
}

/** Replies with a size (when the caller asked for 0 bytes) or the data itself. */
function replySized(session: Session, request: Request, wanted: number, read: (buffer: Buffer) => number): void {
  if (wanted === 0) {
    const size = read(Buffer.alloc(0));
    const buffer = session.scratch(sizeOutBytes);
    buffer.writeUInt32LE(size, outHeaderBytes);
    buffer.writeUInt32LE(0, outHeaderBytes + 4);
    session.channel.reply(request.unique, buffer, sizeOutBytes);
    return;
  }
  const data = Buffer.allocUnsafe(Math.min(wanted, valueMaxBytes));
  const size = read(data);
  const buffer = session.scratch(size);
  data.copy(buffer, outHeaderBytes, 0, size);
  session.channel.reply(request.unique, buffer, size);
}

function checked(result: number): number {
  if (result < 0) throw errno(-result);
  return result;
}

export function getxattr(session: Session, request: Request): void {
  const shim = shimOf(session);
  const wanted = request.buffer.readUInt32LE(request.body);
  const { name } = readName(request.buffer, request.body + 8, request.end);
  const inode = session.inodes.get(request.nodeid);
  checkAttribute(session, request, inode, name, false);
  if (isSymlink(inode.type)) throw errno(Errno.ENODATA);
  // The kernel asks for security.capability before every write to an open file: read it through
  // that file's descriptor rather than pinning a new one.
  const open = inode.open?.values().next().value;
  if (open !== undefined) {
    replySized(session, request, wanted, (buffer) => checked(shim.fgetxattr(open, name, buffer)));
    return;
  }
  const path = session.inodes.path(inode);
  replySized(session, request, wanted, (buffer) => checked(shim.getxattr(path, name, buffer)));
}

export function listxattr(session: Session, request: Request): void {
  const shim = shimOf(session);
  const wanted = request.buffer.readUInt32LE(request.body);
  const inode = session.inodes.get(request.nodeid);
  const root = session.credentials(request).uid === 0;
  let names = Buffer.alloc(0);
  if (!isSymlink(inode.type)) {
    const path = session.inodes.path(inode);
    const all = Buffer.allocUnsafe(checked(shim.listxattr(path, Buffer.alloc(0))) || 1);
    const length = checked(shim.listxattr(path, all));
    const visible = all
      .subarray(0, length)
      .toString("utf8")
      .split("\0")
      .filter((entry) => entry.length > 0 && (root || !entry.startsWith("trusted.")) && !entry.startsWith("system."));
    names = Buffer.from(visible.map((entry) => `${entry}\0`).join(""), "utf8");
  }
  replySized(session, request, wanted, (buffer) => {
    if (buffer.length === 0) return names.length;
    if (buffer.length < names.length) throw errno(Errno.ERANGE);
    return names.copy(buffer);
  });
}

export function setxattr(session: Session, request: Request): void {
  const shim = shimOf(session);
  const size = request.buffer.readUInt32LE(request.body);
  const flags = request.buffer.readUInt32LE(request.body + 4);
  const { name, next } = readName(request.buffer, request.body + 8, request.end);
  const inode = session.inodes.get(request.nodeid);
  checkAttribute(session, request, inode, name, true);
  if (isSymlink(inode.type)) throw errno(Errno.EPERM);
  const value = request.buffer.subarray(next, Math.min(next + size, request.end));
  checked(shim.setxattr(session.inodes.path(inode), name, value, flags));
  session.replyEmpty(request);
}

export function removexattr(session: Session, request: Request): void {
  const shim = shimOf(session);
  const { name } = readName(request.buffer, request.body, request.end);
  const inode = session.inodes.get(request.nodeid);
  checkAttribute(session, request, inode, name, true);
  if (isSymlink(inode.type)) throw errno(Errno.EPERM);
  checked(shim.removexattr(session.inodes.path(inode), name));
  session.replyEmpty(request);
}
