// The ratchet: listed violations pass, new ones and grown sizes fail, fixed ones must go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compare, describe as describeProblems, failed, reasonTodo, regenerate, unexplained, type Entry } from "./_ratchet.js";
import type { Violation } from "./_rules.js";

const big: Violation = { rule: "file-size", file: "src/a/mod.ts", subject: "", size: 320, message: "320 lines, over 300" };
const leak: Violation = {
  rule: "private-file", file: "src/b/mod.ts", subject: "../a/_x.js", line: 3, message: "src/a/_x.ts is private to src/a",
};

describe("ratchet", () => {
  it("passes when every violation is listed and no size grew", () => {
    const entries: Entry[] = [
      { rule: "file-size", file: "src/a/mod.ts", subject: "", size: 320, reason: "split pending" },
      { rule: "private-file", file: "src/b/mod.ts", subject: "../a/_x.js", reason: "moving" },
    ];
    const result = compare([big, leak], entries);
    assert.equal(failed(result), false);
    assert.equal(result.listed.length, 2);
  });

  it("fails on a violation that is not listed, naming its file, subject and rule", () => {
    const result = compare([big, leak], [{ rule: "file-size", file: "src/a/mod.ts", subject: "", size: 320, reason: "r" }]);
    assert.equal(failed(result), true);
    assert.deepEqual(describeProblems(result, "ratchet.json"), [
      'new: src/b/mod.ts:3: private-file "../a/_x.js": src/a/_x.ts is private to src/a',
    ]);
  });

  it("fails when a listed size grew past its recorded size, and only notes one that shrank", () => {
    const grown = compare([big], [{ rule: "file-size", file: "src/a/mod.ts", subject: "", size: 310, reason: "r" }]);
    assert.equal(failed(grown), true);
    assert.deepEqual(describeProblems(grown, "ratchet.json"), [
      "grown: src/a/mod.ts: file-size: 320 lines, over 300 (listed at 310; shrink it back)",
    ]);
    const shrunk = compare([big], [{ rule: "file-size", file: "src/a/mod.ts", subject: "", size: 330, reason: "r" }]);
    assert.equal(failed(shrunk), false);
    assert.equal(shrunk.shrunk.length, 1);
  });

  it("fails on a listed entry that no longer occurs, telling to remove it", () => {
    const result = compare([], [{ rule: "private-file", file: "src/b/mod.ts", subject: "../a/_x.js", reason: "r" }]);
    assert.equal(failed(result), true);
    assert.deepEqual(describeProblems(result, "test/shape/ratchet.json"), [
      "fixed: private-file src/b/mod.ts ../a/_x.js: no longer occurs; remove it from test/shape/ratchet.json",
    ]);
  });

  it("regenerating keeps the reasons of entries still there, drops fixed ones, marks new ones", () => {
    const old: Entry[] = [
      { rule: "file-size", file: "src/a/mod.ts", subject: "", size: 340, reason: "split pending" },
      { rule: "cycle", file: "src/c", subject: "src/c, src/d", reason: "gone now" },
    ];
    const next = regenerate([big, leak], old);
    assert.deepEqual(next, [
      { rule: "file-size", file: "src/a/mod.ts", subject: "", size: 320, reason: "split pending" },
      { rule: "private-file", file: "src/b/mod.ts", subject: "../a/_x.js", reason: reasonTodo },
    ]);
    assert.deepEqual(unexplained(next), [next[1]]);
  });
});
