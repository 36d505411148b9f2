// The shape of src/ as the build checks it: no violation outside test/shape/ratchet.json, no
// listed size grown, no listed entry left once it is fixed, a reason for every entry.
// `node dist/test/shape/_check.js` prints the same; `--write` regenerates the list.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compare, describe as describeProblems, failed, keyOf, unexplained } from "./_ratchet.js";
import { checkSources } from "./_rules.js";
import { ratchetPath, readRatchet, readSources } from "./_sources.js";

describe("the shape of src", () => {
  const sources = readSources();
  const entries = readRatchet();

  it("reads the whole tree", () => {
    assert.ok(sources.size > 100, `only ${sources.size} files under src`);
    assert.ok(sources.has("src/errors/mod.ts"));
  });

  it("has no violation beyond the ratchet, none grown, none listed that is fixed", () => {
    const comparison = compare(checkSources(sources), entries);
    const problems = describeProblems(comparison, ratchetPath);
    const hint = "\n(see docs/architecture.md, \"Checked by the build\"; `node dist/test/shape/_check.js` lists them)";
    if (failed(comparison)) assert.fail(problems.join("\n") + hint);
  });

  it("gives every ratchet entry a reason, once", () => {
    const missing = unexplained(entries).map(keyOf);
    assert.deepEqual(missing, [], `entries in ${ratchetPath} without a reason`);
    const keys = entries.map(keyOf);
    assert.equal(new Set(keys).size, keys.length, `${ratchetPath} lists an entry twice`);
  });
});
