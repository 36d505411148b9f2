import assert from "node:assert/strict";
import { appendFileSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DescriptorCache } from "./_descriptors.js";
import { Errno, errnoOf } from "./_errors.js";
import { InodeTable, openPathFlag, type Inode } from "./_inodes.js";
import { line, NodeJournal, readJournal, writeCompacted, type JournalEntry } from "./_journal.js";
import { Stater } from "./_stat.js";

describe("the node-id journal", () => {
  const directory = mkdtempSync(join(tmpdir(), "moor-journal-"));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("gives back each node id with the parent, inode number and name of its last record", () => {
    const path = join(directory, "renamed");
    const journal = new NodeJournal(path, true);
    journal.record(2, 1, 100n, "work");
    journal.record(3, 2, 101n, "a file with spaces\nand a newline");
    journal.record(3, 1, 101n, "moved");
    journal.close();
    assert.deepEqual([...readJournal(path)], [
      [2, { parent: 1, ino: 100n, name: "work" }],
      [3, { parent: 1, ino: 101n, name: "moved" }],
    ]);
  });

  it("skips a record cut short by a crash, and keeps appending after a take-over", () => {
    const path = join(directory, "cut");
    new NodeJournal(path, true).record(2, 1, 7n, "kept");
    appendFileSync(path, '3 1 8 "cu');
    const next = new NodeJournal(path, false);
    next.record(4, 2, 9n, "later");
    next.close();
    assert.deepEqual([...readJournal(path).keys()], [2, 4]);
  });

  it("starts empty for a new mount, and is removed with it", () => {
    const path = join(directory, "fresh");
    new NodeJournal(path, true).record(2, 1, 7n, "old");
    const journal = new NodeJournal(path, true);
    assert.equal(readJournal(path).size, 0);
    journal.remove();
    assert.equal(existsSync(path), false);
    assert.equal(readJournal(path).size, 0);
  });

  // A backing directory with `count` files in `d/`, and a table serving it whose journal compacts
  // early (at 16 records, or twice the live table).
  function served(name: string, count: number) {
    const root = join(directory, `${name}-root`);
    mkdirSync(join(root, "d"), { recursive: true });
    for (let index = 0; index < count; index += 1) writeFileSync(join(root, "d", `f${index}`), "");
    const path = join(directory, name);
    const journals: NodeJournal[] = [];
    const open = (fresh: boolean) => {
      const table = new InodeTable(openSync(root, openPathFlag | constants.O_DIRECTORY), new DescriptorCache(64), new Stater(null));
      journals.push(new NodeJournal(path, fresh, { factor: 2, minimum: 16 }));
      table.keep(journals.at(-1)!, fresh ? undefined : readJournal(path));
      return table;
    };
    const look = (table: InodeTable, parent: Inode, child: string) => table.remember(parent, child, table.statChild(parent, child)!);
    return { root, path, open, look, journals };
  }

  it("compacts to the live table as it grows; a take-over resolves every live id from it", () => {
    const { root, path, open, look, journals } = served("compacted", 300);
    const table = open(true);
    const d = look(table, table.root, "d");
    const kept = new Map<number, string>();
    let appended = 1;
    let highest = d.nodeid;
    for (let index = 0; index < 300; index += 1) {
      const inode = look(table, d, `f${index}`);
      appended += 1;
      highest = Math.max(highest, inode.nodeid);
      // Every record reaches the log, the one a compaction runs before included.
      assert.equal(readJournal(path).get(inode.nodeid)?.name, `f${index}`);
      if (index % 50 === 7) kept.set(inode.nodeid, `f${index}`);
      else table.forget(inode.nodeid, 1);
    }
    const [movedId] = kept.keys();
    renameSync(join(root, "d", kept.get(movedId!)!), join(root, "moved"));
    table.place(table.get(movedId!), table.root, "moved");
    kept.set(movedId!, "moved");
    // Once more, now that the highest id handed out is forgotten too.
    journals[0]!.compact();
    const lines = readFileSync(path, "utf8").split("\n").length - 1;
    assert.ok(lines <= 2 * (kept.size + 2) + 16 + 1, `${lines} records for ${kept.size + 1} live ids (${appended + 1} appended)`);
    table.clear();

    const next = open(false);
    for (const [nodeid, name] of kept) {
      const inode = next.get(nodeid);
      assert.equal(inode.name, name);
      assert.equal(next.stat(inode).ino, next.statChild(name === "moved" ? next.root : next.get(d.nodeid), name)!.ino);
    }
    const forgotten = [...Array(highest).keys()].find((nodeid) => nodeid > d.nodeid && !kept.has(nodeid))!;
    assert.throws(() => next.get(forgotten), (error) => errnoOf(error) === Errno.ESTALE);
    writeFileSync(join(root, "d", "new"), "");
    assert.ok(look(next, next.get(d.nodeid), "new").nodeid > highest, "new ids start above every id handed out");
    next.clear();
  });

  it("recovers from a crash between writing the compacted log and renaming it", () => {
    const { path, open, look } = served("interrupted", 10);
    const table = open(true);
    const d = look(table, table.root, "d");
    const ids = Array.from({ length: 10 }, (_, index) => look(table, d, `f${index}`).nodeid);
    const before = readJournal(path);
    // The first step of a compaction that forgot every file, then the crash.
    writeCompacted(path, [line(d.nodeid, before.get(d.nodeid)!)]);
    table.clear();
    assert.deepEqual(readJournal(path), before, "the log is whole until the rename");
    const next = open(false);
    assert.equal(existsSync(`${path}.tmp`), false, "the next daemon removes the cut compaction");
    for (const [index, nodeid] of ids.entries()) assert.equal(next.get(nodeid).name, `f${index}`);
    next.clear();
    const entry: JournalEntry | undefined = readJournal(path).get(ids[9]!);
    assert.equal(entry?.name, "f9");
  });
});
