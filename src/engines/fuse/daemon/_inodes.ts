// The daemon's inode table for one mount: FUSE node ids mapped to backing files. An inode is
// known by (device, inode number) and reached again through its parent directory and name;
// directories keep an O_PATH descriptor in a process-wide LRU cache so that operations are made
// relative to a pinned directory, never by re-walking a path that someone could have swapped for
// a symlink. Every re-resolution checks the inode number, so a name that now means another file
// gives ESTALE instead of acting on the wrong file. Descriptor paths (/proc/self/fd/N/...) are
// only ever used in synchronous calls: an evicted descriptor number can be reused at once.

import { closeSync, constants, openSync } from "node:fs";
import type { DescriptorCache } from "./_descriptors.js";
import { errno, Errno } from "./_errors.js";
import type { JournalEntry, NodeJournal } from "./_journal.js";
import type { FileStats, Stater } from "./_stat.js";

/** O_PATH (Linux): a descriptor that names a file without opening it; Node has no constant for it. */
export const openPathFlag = 0o10000000;
const pathFlags = openPathFlag | constants.O_NOFOLLOW;
const typeMask = 0o170000;

export interface Inode {
  nodeid: number;
  dev: bigint;
  ino: bigint;
  type: number;
  /** Where the inode was last seen; null once its name is gone (unlinked or replaced). */
  parent: Inode | null;
  name: string;
  /** The kernel's lookup count: the inode leaves the table when it reaches 0. */
  lookups: number;
  /** How many known inodes name this one as their parent. */
  children: number;
  /** Cached O_PATH descriptor, or -1. */
  fd: number;
  /** Descriptors of the inode's open handles: they still reach it once its name is gone. */
  open?: Set<number>;
  /** Size and mtime the kernel was last told, to notice changes made elsewhere at open. */
  seenSize: bigint;
  seenMtimeNs: bigint;
  /** Per-inode state the file operations hang here (passthrough backing, locks, metering). */
  state: Map<string, InodeState>;
}

/** Something a file operation keeps per inode; `close` frees it when the mount goes away. */
export interface InodeState {
  close(): void;
}

export class InodeTable {
  readonly root: Inode;
  private readonly byNodeid = new Map<number, Inode>();
  private readonly byIdentity = new Map<string, Inode>();
  private nextNodeid = 2;
  /** Where new node ids are noted, for a daemon that takes over (see _journal.ts). */
  private journal: NodeJournal | undefined;
  /** Node ids a dead daemon handed out, not yet asked for again. */
  private earlier = new Map<number, JournalEntry>();

  constructor(
    /** An O_PATH descriptor of the directory served; the table owns it from now on. */
    fd: number,
    private readonly descriptors: DescriptorCache,
    /** How handlers read stats of backing files (see _stat.ts). */
    readonly stater: Stater,
  ) {
    const stats = this.stater.fd(fd);
    this.root = this.make(1, stats, null, "");
    this.root.fd = fd;
    this.root.lookups = 1;
    this.byNodeid.set(1, this.root);
  }

  get size(): number {
    return this.byNodeid.size;
  }

  get(nodeid: number): Inode {
    const inode = this.byNodeid.get(nodeid) ?? this.revive(nodeid);
    if (!inode) throw errno(Errno.ESTALE);
    return inode;
  }

  /**
   * Notes node ids in `journal` from now on; `earlier` are the ids a dead daemon handed out for
   * this mount: new ids start above them, and each is resolved again when first asked for.
   */
  keep(journal: NodeJournal, earlier = new Map<number, JournalEntry>()): void {
    this.journal = journal;
    this.earlier = earlier;
    for (const nodeid of earlier.keys()) this.nextNodeid = Math.max(this.nextNodeid, nodeid + 1);
    journal.track({ size: () => this.byNodeid.size + this.earlier.size, entries: () => this.journalled() });
  }

  /**
   * What a compacted journal holds: the highest id handed out (with no name, so a later daemon
   * still starts above it), every known inode that has a name, and the dead daemon's ids not
   * asked for yet. Ids the kernel forgot, and inodes whose name is gone, are left out.
   */
  private *journalled(): Iterable<[number, JournalEntry]> {
    yield [this.nextNodeid - 1, { parent: 0, ino: 0n, name: "" }];
    for (const inode of this.byNodeid.values()) {
      if (inode.parent) yield [inode.nodeid, { parent: inode.parent.nodeid, ino: inode.ino, name: inode.name }];
    }
    for (const [nodeid, entry] of this.earlier) if (entry.parent !== 0) yield [nodeid, entry];
  }

  /** A dead daemon's node id, found again through its parent and name, checked by inode number. */
  private revive(nodeid: number): Inode | undefined {
    const entry = this.earlier.get(nodeid);
    if (!entry || entry.parent === 0) return undefined;
    this.earlier.delete(nodeid);
    const parent = this.byNodeid.get(entry.parent) ?? this.revive(entry.parent);
    if (!parent) return undefined;
    const stats = this.stater.at(this.descriptor(parent), entry.name);
    if (!stats || stats.ino !== entry.ino) return undefined;
    const inode = this.make(nodeid, stats, parent, entry.name);
    parent.children += 1;
    // The kernel's count of lookups of this id is unknown: the inode stays while the mount lives.
    inode.lookups = 2 ** 40;
    this.byNodeid.set(nodeid, inode);
    const key = `${stats.dev}:${stats.ino}`;
    if (!this.byIdentity.has(key)) this.byIdentity.set(key, inode);
    return inode;
  }

  /** Records one more kernel reference to the file `stats` describes, seen at (parent, name). */
  remember(parent: Inode, name: string, stats: FileStats): Inode {
    const key = `${stats.dev}:${stats.ino}`;
    let inode = this.byIdentity.get(key);
    if (inode && inode.type !== (Number(stats.mode) & typeMask)) {
      // The inode number was reused for a different kind of file: give it a new node id.
      this.byIdentity.delete(key);
      inode = undefined;
    }
    if (!inode) {
      inode = this.make(this.nextNodeid++, stats, parent, name);
      this.journal?.record(inode.nodeid, parent.nodeid, stats.ino, name);
      parent.children += 1;
      this.byNodeid.set(inode.nodeid, inode);
      this.byIdentity.set(key, inode);
    } else {
      this.place(inode, parent, name);
    }
    inode.lookups += 1;
    return inode;
  }

  /** The kernel dropped `count` references. */
  forget(nodeid: number, count: number): void {
    const inode = this.byNodeid.get(nodeid);
    if (!inode || inode === this.root) return;
    inode.lookups = Math.max(0, inode.lookups - count);
    this.collect(inode);
  }

  /** Moves an inode to a new name (after a rename), or detaches it (parent null). */
  place(inode: Inode, parent: Inode | null, name: string): void {
    if (inode.parent !== parent || inode.name !== name) this.journal?.record(inode.nodeid, parent?.nodeid ?? 0, inode.ino, name);
    if (inode.parent === parent) {
      inode.name = name;
      return;
    }
    const previous = inode.parent;
    if (parent) parent.children += 1;
    inode.parent = parent;
    inode.name = name;
    if (previous) {
      previous.children -= 1;
      this.collect(previous);
    }
  }

  /** The inode known under this backing identity, if any. */
  find(stats: { dev: bigint; ino: bigint }): Inode | undefined {
    return this.byIdentity.get(`${stats.dev}:${stats.ino}`);
  }

  /** An O_PATH descriptor for the inode, opened through its parent and checked if not cached. */
  descriptor(inode: Inode): number {
    if (inode.fd >= 0) {
      if (inode !== this.root) this.descriptors.touch(inode);
      return inode.fd;
    }
    if (!inode.parent) throw errno(Errno.ESTALE);
    const fd = openSync(this.childPath(inode.parent, inode.name), pathFlags);
    const stats = this.stater.fd(fd);
    if (stats.ino !== inode.ino || stats.dev !== inode.dev) {
      closeSync(fd);
      throw errno(Errno.ESTALE);
    }
    inode.fd = fd;
    this.descriptors.add(inode);
    return fd;
  }

  /** A path naming exactly this inode (through its descriptor): for synchronous calls only. */
  path(inode: Inode): string {
    return `/proc/self/fd/${this.descriptor(inode)}`;
  }

  /** A path naming `name` inside the directory `parent`: for synchronous, non-following calls. */
  childPath(parent: Inode, name: string): string {
    return `/proc/self/fd/${this.descriptor(parent)}/${name}`;
  }

  /**
   * Current stats of the inode. By its name first, checked against its identity, so that a file
   * removed or replaced through another mount (or outside Moor) answers ENOENT or ESTALE, on
   * which the kernel looks the name up afresh; then through an open handle or its descriptor,
   * which still reach a file whose name is gone (fstat of an unlinked open file).
   */
  stat(inode: Inode): FileStats {
    if (!inode.parent) return this.stater.fd(this.reachable(inode));
    const stats = this.stater.at(this.descriptor(inode.parent), inode.name);
    if (stats && stats.ino === inode.ino && stats.dev === inode.dev) return stats;
    const open = inode.open?.values().next().value;
    if (open !== undefined) return this.stater.fd(open);
    throw errno(stats ? Errno.ESTALE : Errno.ENOENT);
  }

  /**
   * Current stats of a directory through its pinned descriptor: what a name is looked up or
   * created in. Cheaper than `stat` (no name to resolve), and exact for the directory itself.
   */
  statDirectory(inode: Inode): FileStats {
    return this.stater.fd(this.descriptor(inode));
  }

  /** Stats of `name` in the directory `parent`, or undefined if there is no such entry. */
  statChild(parent: Inode, name: string): FileStats | undefined {
    return this.stater.at(this.descriptor(parent), name);
  }

  /** A descriptor for an inode that has lost its name: an open handle's, or its own O_PATH. */
  private reachable(inode: Inode): number {
    const open = inode.open?.values().next().value;
    if (open !== undefined) return open;
    return this.descriptor(inode);
  }

  /** Drops the inode if nothing refers to it any more (after its per-inode state emptied). */
  settle(inode: Inode): void {
    this.collect(inode);
  }

  /** Closes every descriptor: the mount is gone. */
  clear(): void {
    for (const inode of this.byNodeid.values()) {
      for (const state of inode.state.values()) state.close();
      inode.state.clear();
      if (inode !== this.root) this.descriptors.drop(inode);
    }
    if (this.root.fd >= 0) closeSync(this.root.fd);
    this.root.fd = -1;
    this.byNodeid.clear();
    this.byIdentity.clear();
    this.journal?.close();
  }

  private make(nodeid: number, stats: FileStats, parent: Inode | null, name: string): Inode {
    return {
      nodeid,
      dev: stats.dev,
      ino: stats.ino,
      type: Number(stats.mode) & typeMask,
      parent,
      name,
      lookups: 0,
      children: 0,
      fd: -1,
      seenSize: -1n,
      seenMtimeNs: -1n,
      state: new Map(),
    };
  }

  private collect(inode: Inode): void {
    let current: Inode | null = inode;
    while (current && current !== this.root && current.lookups === 0 && current.children === 0 && current.state.size === 0 && !current.open?.size) {
      this.byNodeid.delete(current.nodeid);
      const key = `${current.dev}:${current.ino}`;
      if (this.byIdentity.get(key) === current) this.byIdentity.delete(key);
      this.descriptors.drop(current);
      const parent: Inode | null = current.parent;
      current.parent = null;
      if (parent) parent.children -= 1;
      current = parent;
    }
  }
}
