import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { NodeJournal, readJournal } from "./_journal.js";

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
});
