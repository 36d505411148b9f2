// The node-id journal of one mount: every node id the daemon hands out, with where it was seen
// (its parent's node id, its name, its inode number), appended before the kernel learns the id.
// A daemon that takes over the mount after its daemon died (see _holder.ts) reads it, so that
// requests naming the dead daemon's node ids (a working directory, an open file, a cached name)
// reach the same files: each old id is re-resolved through its parent when first asked for,
// and checked against its inode number (ESTALE if the name now means another file). One line a
// record; the last record of an id wins (renames append again).
//
// Compaction: ids the kernel forgot stay in the log, so it would grow with every file ever
// looked up or created. Once it holds more than `factor` times as many records as the live table
// (and at least `minimum`), the live table is written whole to `<path>.tmp` and renamed over the
// log: a reader sees the old log or the new one, never a mix. A crash before the rename leaves
// the old log, complete, and a stray temporary file that the next open removes. No fsync: the
// journal serves a daemon that dies while the machine runs (the page cache survives it); a
// machine that stops ends every FUSE connection anyway.

import { closeSync, constants, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";

export interface JournalEntry {
  parent: number;
  ino: bigint;
  name: string;
}

/** What compaction writes: the ids the kernel may still name (the last entry of an id wins). */
export interface LiveTable {
  size(): number;
  entries(): Iterable<[number, JournalEntry]>;
}

export interface CompactionBounds {
  factor: number;
  minimum: number;
}

const defaultBounds: CompactionBounds = { factor: 2, minimum: 1024 };

export class NodeJournal {
  private fd: number;
  /** Records in the log now (one a line). */
  private records = 0;
  private live: LiveTable | undefined;

  /** Opens (creating) the journal at `path`; `fresh` empties it first (a new mount). */
  constructor(
    readonly path: string,
    fresh: boolean,
    private readonly bounds: CompactionBounds = defaultBounds,
  ) {
    // A compaction that a crash cut short: the log at `path` is whole, the temporary file is not.
    rmSync(temporaryOf(path), { force: true });
    this.fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (fresh ? constants.O_TRUNC : 0), 0o600);
    if (fresh) return;
    this.records = linesIn(path);
    // A record cut short (a write a crash interrupted) must not swallow the next one.
    if (!endsWithNewline(path)) writeSync(this.fd, "\n");
  }

  /** Compacts the log to `live` from now on, whenever it has grown enough beyond it. */
  track(live: LiveTable): void {
    this.live = live;
  }

  /** Notes that `nodeid` names `name` (inode `ino`) in the directory `parent` (0: name gone). */
  record(nodeid: number, parent: number, ino: bigint, name: string): void {
    if (this.fd < 0) return;
    // Before the append: the live table does not hold this record yet (the caller notes it first).
    if (this.live && this.records >= Math.max(this.bounds.minimum, this.bounds.factor * this.live.size())) this.compact();
    writeSync(this.fd, line(nodeid, { parent, ino, name }));
    this.records += 1;
  }

  /** Rewrites the log as the live table alone: a temporary file renamed over it. */
  compact(): void {
    if (this.fd < 0 || !this.live) return;
    const lines: string[] = [];
    for (const [nodeid, entry] of this.live.entries()) lines.push(line(nodeid, entry));
    writeCompacted(this.path, lines);
    renameSync(temporaryOf(this.path), this.path);
    closeSync(this.fd);
    this.fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND, 0o600);
    this.records = lines.length;
  }

  /** The mount is gone: the journal goes with it. */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** The first step of a compaction, alone: the new log in `<path>.tmp` (tests stop here). */
export function writeCompacted(path: string, lines: string[]): void {
  writeFileSync(temporaryOf(path), lines.join(""), { mode: 0o600 });
}

/** One record as the journal holds it. */
export function line(nodeid: number, entry: JournalEntry): string {
  return `${nodeid} ${entry.parent} ${entry.ino} ${JSON.stringify(entry.name)}\n`;
}

/** The node ids a journal holds, by id (the last record of each). */
export function readJournal(path: string): Map<number, JournalEntry> {
  const entries = new Map<number, JournalEntry>();
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return entries;
  }
  for (const record of text.split("\n")) {
    const match = /^(\d+) (\d+) (\d+) (".*")$/.exec(record);
    if (!match) continue; // A line cut short by the crash.
    entries.set(Number(match[1]), { parent: Number(match[2]), ino: BigInt(match[3]!), name: JSON.parse(match[4]!) as string });
  }
  return entries;
}

function temporaryOf(path: string): string {
  return `${path}.tmp`;
}

function linesIn(path: string): number {
  let count = 0;
  const text = readFileSync(path);
  for (let at = text.indexOf(0x0a); at >= 0; at = text.indexOf(0x0a, at + 1)) count += 1;
  return count;
}

function endsWithNewline(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return true;
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
