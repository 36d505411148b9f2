// FUSE passthrough: an inode's backing file is registered with the kernel once
// (FUSE_DEV_IOC_BACKING_OPEN) and shared by every open of it, as the kernel requires, so reads,
// writes and mmap go from the kernel straight to the backing file. The registration ends with the
// last handle. When registering fails, passthrough is off for the mount and data goes through
// the daemon.

import type { Inode, InodeState } from "./_inodes.js";
import type { Session } from "./_session.js";

export interface BackingDescriptor {
  fd: number;
  /** Opened read-write, so it can serve every later open of the inode through passthrough. */
  readWrite: boolean;
}

/** The passthrough registration of one inode, shared by all its open handles. */
class Backing implements InodeState {
  users = 1;
  constructor(
    readonly session: Session,
    readonly id: number,
  ) {}

  close(): void {
    this.session.shim?.backingClose(this.session.channel.fd, this.id);
  }
}

/** Registers the inode for passthrough (once), or returns 0 when the data goes through us. */
export function passthroughId(session: Session, inode: Inode, backing: BackingDescriptor): number {
  if (!session.passthrough || !session.shim) return 0;
  const existing = inode.state.get("backing") as Backing | undefined;
  if (existing) {
    existing.users += 1;
    return existing.id;
  }
  // A read-only descriptor would fail the writes of later opens sharing it.
  if (!backing.readWrite && !session.options.readOnly) return 0;
  const id = session.shim.backingOpen(session.channel.fd, backing.fd);
  if (id <= 0) {
    console.error(`moor fuse: passthrough is off for "${session.options.source}": registering a backing file failed with errno ${-id}`);
    session.passthrough = false;
    return 0;
  }
  inode.state.set("backing", new Backing(session, id));
  return id;
}

/** Drops the handle's share of the inode's passthrough registration. */
export function releasePassthrough(inode: Inode): void {
  const backing = inode.state.get("backing") as Backing | undefined;
  if (!backing) return;
  backing.users -= 1;
  if (backing.users > 0) return;
  inode.state.delete("backing");
  backing.close();
}
