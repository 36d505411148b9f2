// Listing directories: the first READDIR of a handle (or a rewind to offset 0) takes a snapshot of
// the names; offsets are positions in it, so a listing stays stable while the directory changes.
// READDIR and READDIRPLUS page through it, RELEASEDIR drops it. READDIRPLUS also looks each entry up, as `ls -l` would next.

import { closeSync, constants, fsync, lstatSync, openSync, readdirSync, type Dirent } from "node:fs";
import { fileMode } from "./_common.js";
import { errno, Errno } from "./_errors.js";
import type { Inode } from "./_inodes.js";
import { Access, isDirectory, mayAccess } from "./_permissions.js";
import { align8, direntBytes, entryOutBytes, openOutBytes, outHeaderBytes, readU64, type Request } from "./_protocol.js";
import type { Session } from "./_session.js";

interface Entry {
  name: string;
  type: number;
}

function direntType(entry: Dirent): number {
  if (entry.isFile()) return 8;
  if (entry.isDirectory()) return 4;
  if (entry.isSymbolicLink()) return 10;
  if (entry.isFIFO()) return 1;
  if (entry.isSocket()) return 12;
  if (entry.isCharacterDevice()) return 2;
  if (entry.isBlockDevice()) return 6;
  return 0;
}

function snapshot(session: Session, inode: Inode): Entry[] {
  const entries: Entry[] = [
    { name: ".", type: 4 },
    { name: "..", type: 4 },
  ];
  for (const entry of readdirSync(session.inodes.path(inode), { withFileTypes: true })) {
    entries.push({ name: entry.name, type: direntType(entry) });
  }
  return entries;
}

export function opendir(session: Session, request: Request): void {
  const inode = session.inodes.get(request.nodeid);
  const stats = session.inodes.stat(inode);
  if (!isDirectory(Number(stats.mode))) throw errno(Errno.ENOTDIR);
  if (!mayAccess(session.credentials(request), fileMode(stats), Access.read, session.groups(request))) {
    throw errno(Errno.EACCES);
  }
  const id = session.addHandle({ inode, fd: -1, flags: 0, passthrough: false, writable: false });
  const buffer = session.scratch(openOutBytes).fill(0, outHeaderBytes, outHeaderBytes + openOutBytes);
  buffer.writeBigUInt64LE(BigInt(id), outHeaderBytes);
  session.channel.reply(request.unique, buffer, openOutBytes);
}

export function readdir(session: Session, request: Request): void {
  list(session, request, false);
}

export function readdirplus(session: Session, request: Request): void {
  list(session, request, true);
}

function list(session: Session, request: Request, wantsPlus: boolean): void {
  let plus = wantsPlus;
  const body = request.body;
  const handle = session.handle(readU64(request.buffer, body));
  const offset = readU64(request.buffer, body + 8);
  const size = request.buffer.readUInt32LE(body + 16);
  if (offset === 0 || !handle.entries) handle.entries = snapshot(session, handle.inode);
  const entries = handle.entries ?? [];
  // Looked-up entries let the kernel walk into the directory without asking again: only hand them
  // out to an identity that may search it (a listable but unsearchable directory gets names only).
  if (plus) {
    const stats = session.inodes.stat(handle.inode);
    plus = mayAccess(session.credentials(request), fileMode(stats), Access.execute, session.groups(request));
  }
  const buffer = session.scratch(size);
  let at = outHeaderBytes;
  for (let index = offset; index < entries.length; index += 1) {
    const entry = entries[index];
    const nameBytes = Buffer.byteLength(entry.name);
    const recordBytes = align8((wantsPlus ? entryOutBytes : 0) + direntBytes + nameBytes);
    if (at + recordBytes - outHeaderBytes > size) break;
    const written = writeRecord(session, handle.inode, entry, index + 1, nameBytes, wantsPlus, plus, buffer, at);
    if (written) at += recordBytes;
  }
  session.channel.reply(request.unique, buffer, at - outHeaderBytes);
}

/** Writes one (plus) directory record; false when the entry vanished since the snapshot. */
function writeRecord(
  session: Session,
  directory: Inode,
  entry: Entry,
  nextOffset: number,
  nameBytes: number,
  plus: boolean,
  lookup: boolean,
  buffer: Buffer,
  at: number,
): boolean {
  const dot = entry.name === "." || entry.name === "..";
  let ino = directory.ino;
  let direntAt = at;
  if (!dot) {
    const stats = lstatSync(session.inodes.childPath(directory, entry.name), { bigint: true, throwIfNoEntry: false });
    if (!stats) return false;
    ino = stats.ino;
    if (plus && lookup) session.writeEntry(buffer, at, session.inodes.remember(directory, entry.name, stats), stats);
  }
  if (plus && (dot || !lookup)) {
    // Node id 0: the kernel takes the entry as a plain name and looks it up when it needs to.
    buffer.fill(0, at, at + entryOutBytes);
  }
  if (plus) direntAt += entryOutBytes;
  buffer.writeBigUInt64LE(ino, direntAt);
  buffer.writeBigUInt64LE(BigInt(nextOffset), direntAt + 8);
  buffer.writeUInt32LE(nameBytes, direntAt + 16);
  buffer.writeUInt32LE(entry.type, direntAt + 20);
  const nameAt = direntAt + direntBytes;
  buffer.write(entry.name, nameAt, nameBytes, "utf8");
  buffer.fill(0, nameAt + nameBytes, at + align8((plus ? entryOutBytes : 0) + direntBytes + nameBytes));
  return true;
}

export function releasedir(session: Session, request: Request): void {
  session.handles.delete(readU64(request.buffer, request.body));
  session.replyEmpty(request);
}

export function fsyncdir(session: Session, request: Request): Promise<void> {
  const handle = session.handle(readU64(request.buffer, request.body));
  const fd = openSync(session.inodes.path(handle.inode), constants.O_RDONLY | constants.O_DIRECTORY);
  return new Promise((resolve) => {
    fsync(fd, (error) => {
      closeSync(fd);
      if (error) session.replyError(request, error);
      else session.replyEmpty(request);
      resolve();
    });
  });
}
