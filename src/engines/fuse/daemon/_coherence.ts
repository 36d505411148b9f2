// Coherence between the mounts one daemon serves: when a change made through one mount (a rename,
// an unlink, a chmod, a file closed after writing) touches a file or directory another mount has
// cached, that mount's kernel is told to forget the cached attributes at once, instead of trusting
// them until the timeout. Its next look at the file asks the daemon, which re-resolves the name
// and answers ENOENT or ESTALE (on which the kernel looks the name up afresh) if it moved on.
// Only attributes are invalidated, never names: FUSE_NOTIFY_INVAL_ENTRY takes the directory's
// lock in the other mount, which a request waiting for this daemon may hold, and two mounts
// changing one directory at once would deadlock. Attribute invalidation takes no lock, so it is
// written at once, before the change is acknowledged. Changes made outside the daemon (bind
// mounts, other machines) are seen after the cache timeout, or at the next open (close-to-open).

import { writeSync } from "node:fs";
import { notifyInvalInode, outHeaderBytes, writeOutHeader } from "./_protocol.js";

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
}
