// Small helpers the handler files share: names from requests, stats as permission inputs, and the
// checks every namespace change starts with.

import { errno, Errno } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import type { FileStats } from "./_stat.js";
import { Access, isDirectory, mayAccess, type FileMode } from "./_permissions.js";
import { readName, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";

export function fileMode(stats: FileStats): FileMode {
  return { uid: Number(stats.uid), gid: Number(stats.gid), mode: Number(stats.mode) };
}

/** The longest name (NAME_MAX) and symlink target (PATH_MAX less its NUL) Linux file systems take. */
export const nameMaxBytes = 255;
const pathMaxBytes = 4095;

/**
 * A single path component: the kernel never sends "/", ".", or ".." here, and neither may anyone.
 * FUSE itself passes names of up to 1024 bytes, so NAME_MAX is the daemon's to enforce, with the
 * errno native file systems give.
 */
export function checkName(name: string): string {
  if (name.length === 0 || name === "." || name === ".." || name.includes("/")) throw errno(Errno.EINVAL);
  if (Buffer.byteLength(name) > nameMaxBytes) throw errno(Errno.ENAMETOOLONG);
  return name;
}

/** The first name in a request body, and where the next field starts. */
export function nameAt(request: Request, offset: number): { name: string; next: number } {
  const { name, next, valid } = readName(request.buffer, offset, request.end);
  if (!valid) throw errno(Errno.EINVAL);
  return { name: checkName(name), next };
}

/** A second name or a symlink target: any bytes but NUL, as long as they are UTF-8. */
export function textAt(request: Request, offset: number): string {
  const { name, next, valid } = readName(request.buffer, offset, request.end);
  if (!valid) throw errno(Errno.EINVAL);
  if (next - 1 - offset > pathMaxBytes) throw errno(Errno.ENAMETOOLONG);
  return name;
}

/**
 * The directory an entry is created in or removed from, checked: it must be a directory the
 * effective identity may write and search, on a writable mount.
 */
export function writableDirectory(session: Session, request: Request, nodeid: number): { inode: Inode; stats: FileStats } {
  session.requireWritable();
  const inode = session.inodes.get(nodeid);
  if (!isDirectory(inode.type)) throw errno(Errno.ENOTDIR);
  const stats = session.inodes.statDirectory(inode);
  if (!mayAccess(session.credentials(request), fileMode(stats), Access.write | Access.execute, session.groups(request))) {
    throw errno(Errno.EACCES);
  }
  return { inode, stats };
}

/** Stats of `name` in `parent`, or undefined if there is no such entry. */
export function entryStats(session: Session, parent: Inode, name: string): FileStats | undefined {
  return session.inodes.statChild(parent, name);
}
