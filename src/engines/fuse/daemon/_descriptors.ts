// The daemon's cache of O_PATH descriptors of inodes, shared by every mount of the process: the
// least recently used is closed when the budget (a share of the open-file limit) is reached.

import { closeSync } from "node:fs";
import type { Inode } from "./_inodes.js";

/** A process-wide LRU of O_PATH descriptors: the daemon's open-file limit is shared by mounts. */
export class DescriptorCache {
  private readonly entries = new Map<Inode, true>();
  constructor(private readonly capacity: number) {}

  touch(inode: Inode): void {
    this.entries.delete(inode);
    this.entries.set(inode, true);
  }

  add(inode: Inode): void {
    this.entries.set(inode, true);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as Inode;
      this.drop(oldest);
    }
  }

  drop(inode: Inode): void {
    if (!this.entries.delete(inode)) return;
    if (inode.fd >= 0) closeSync(inode.fd);
    inode.fd = -1;
  }
}
