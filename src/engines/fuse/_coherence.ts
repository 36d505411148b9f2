// Coherence between the mounts one daemon serves: when a change made through one mount (a rename,
// an unlink, a chmod, a file closed after writing) touches a file another mount has cached, that
// mount's kernel is told to forget the cached attributes, data or name at once, instead of
// trusting its cache until the timeout. Changes made outside the daemon (bind mounts, other
// machines) are seen after the cache timeout, or at the next open (close-to-open).
// Attribute invalidations take no lock in the kernel and are written at once; name invalidations
// lock the directory, which a request this very process is about to answer may hold, so they are
// written from libuv's pool and the change is acknowledged only once they are through.

import { write, writeSync } from "node:fs";
import { notifyInvalInode, outHeaderBytes, writeOutHeader } from "./_protocol.js";

const notifyInvalEntry = 3;

/** What coherence needs of a mount: its connection and a way to find a file among its inodes. */
export interface CoherentMount {
  readonly deviceFd: number;
  readonly closed: boolean;
  nodeidOf(dev: bigint, ino: bigint): number | undefined;
}

export class Coherence {
  private readonly mounts = new Set<CoherentMount>();

  add(mount: CoherentMount): void {
    this.mounts.add(mount);
  }

  delete(mount: CoherentMount): void {
    this.mounts.delete(mount);
  }

  /**
   * Other mounts forget the cached attributes of a file (their next open drops cached pages, as
   * every open does without FOPEN_KEEP_CACHE).
   */
  inode(origin: CoherentMount, dev: bigint, ino: bigint): void {
    for (const mount of this.mounts) {
      if (mount === origin || mount.closed) continue;
      const nodeid = mount.nodeidOf(dev, ino);
      if (nodeid === undefined) continue;
      const buffer = Buffer.allocUnsafe(outHeaderBytes + 24);
      buffer.writeBigUInt64LE(BigInt(nodeid), outHeaderBytes);
      buffer.writeBigInt64LE(-1n, outHeaderBytes + 8);
      buffer.writeBigInt64LE(0n, outHeaderBytes + 16);
      writeOutHeader(buffer, buffer.length, notifyInvalInode, 0n);
      try {
        writeSync(mount.deviceFd, buffer);
      } catch {
        // ENOENT: that kernel no longer has the inode; ENODEV: that mount is gone.
      }
    }
  }

  /** Other mounts forget `name` in the directory (dev, ino); settles when they have. */
  entry(origin: CoherentMount, dev: bigint, ino: bigint, name: string): Promise<void> | undefined {
    const pending: Promise<void>[] = [];
    for (const mount of this.mounts) {
      if (mount === origin || mount.closed) continue;
      const parent = mount.nodeidOf(dev, ino);
      if (parent === undefined) continue;
      const nameBytes = Buffer.byteLength(name);
      const buffer = Buffer.alloc(outHeaderBytes + 16 + nameBytes + 1);
      buffer.writeBigUInt64LE(BigInt(parent), outHeaderBytes);
      buffer.writeUInt32LE(nameBytes, outHeaderBytes + 8);
      buffer.write(name, outHeaderBytes + 16, "utf8");
      writeOutHeader(buffer, buffer.length, notifyInvalEntry, 0n);
      pending.push(new Promise((resolve) => write(mount.deviceFd, buffer, 0, buffer.length, null, () => resolve())));
    }
    return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
  }
}
