// The node-id journal of one mount: every node id the daemon hands out, with where it was seen
// (its parent's node id, its name, its inode number), appended before the kernel learns the id.
// A daemon that takes over the mount after its daemon died (see _holder.ts) reads it, so that
// requests naming the dead daemon's node ids (a working directory, an open file, a cached name)
// reach the same files: each old id is re-resolved through its parent when first asked for,
// and checked against its inode number (ESTALE if the name now means another file). One line a
// record; the last record of an id wins (renames append again).

import { closeSync, constants, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from "node:fs";

export interface JournalEntry {
  parent: number;
  ino: bigint;
  name: string;
}

export class NodeJournal {
  private fd: number;

  /** Opens (creating) the journal at `path`; `fresh` empties it first (a new mount). */
  constructor(
    readonly path: string,
    fresh: boolean,
  ) {
    this.fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (fresh ? constants.O_TRUNC : 0), 0o600);
    // A record cut short (a write a crash interrupted) must not swallow the next one.
    if (!fresh && !endsWithNewline(path)) writeSync(this.fd, "\n");
  }

  /** Notes that `nodeid` names `name` (inode `ino`) in the directory `parent` (0: name gone). */
  record(nodeid: number, parent: number, ino: bigint, name: string): void {
    if (this.fd < 0) return;
    writeSync(this.fd, `${nodeid} ${parent} ${ino} ${JSON.stringify(name)}\n`);
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

/** The node ids a journal holds, by id (the last record of each). */
export function readJournal(path: string): Map<number, JournalEntry> {
  const entries = new Map<number, JournalEntry>();
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return entries;
  }
  for (const line of text.split("\n")) {
    const match = /^(\d+) (\d+) (\d+) (".*")$/.exec(line);
    if (!match) continue; // A line cut short by the crash.
    entries.set(Number(match[1]), { parent: Number(match[2]), ino: BigInt(match[3]!), name: JSON.parse(match[4]!) as string });
  }
  return entries;
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
