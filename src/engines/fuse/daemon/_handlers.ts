// The opcode table: which handler answers which request. INIT and DESTROY are the session's own.

import { create, open } from "./_open.js";
import { fsyncdir, opendir, readdir, readdirplus, releasedir } from "./_directories.js";
import { flush, readData, release, syncData, writeData } from "./_files.js";
import { getlk, interrupt, setlk, setlkw } from "./_locks.js";
import { access, batchForget, forget, getattr, lookup, readlink, statfs } from "./_lookup.js";
import { link, mkdir, mknod, rename, rename2, rmdir, symlink, unlink } from "./_namespace.js";
import { Opcode } from "./_protocol.js";
import type { Handler } from "./_session.js";
import { setattr } from "./_setattr.js";
import { getxattr, listxattr, removexattr, setxattr } from "./_xattrs.js";

export const handlers = new Map<number, Handler>([
  [Opcode.lookup, lookup],
  [Opcode.forget, forget],
  [Opcode.batchForget, batchForget],
  [Opcode.getattr, getattr],
  [Opcode.setattr, setattr],
  [Opcode.readlink, readlink],
  [Opcode.access, access],
  [Opcode.statfs, statfs],
  [Opcode.mknod, mknod],
  [Opcode.mkdir, mkdir],
  [Opcode.symlink, symlink],
  [Opcode.unlink, unlink],
  [Opcode.rmdir, rmdir],
  [Opcode.rename, rename],
  [Opcode.rename2, rename2],
  [Opcode.link, link],
  [Opcode.open, open],
  [Opcode.create, create],
  [Opcode.read, readData],
  [Opcode.write, writeData],
  [Opcode.flush, flush],
  [Opcode.release, release],
  [Opcode.fsync, syncData],
  [Opcode.opendir, opendir],
  [Opcode.readdir, readdir],
  [Opcode.readdirplus, readdirplus],
  [Opcode.releasedir, releasedir],
  [Opcode.fsyncdir, fsyncdir],
  [Opcode.getxattr, getxattr],
  [Opcode.listxattr, listxattr],
  [Opcode.setxattr, setxattr],
  [Opcode.removexattr, removexattr],
  [Opcode.getlk, getlk],
  [Opcode.setlk, setlk],
  [Opcode.setlkw, setlkw],
  [Opcode.interrupt, interrupt],
]);
