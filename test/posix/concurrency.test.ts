// Concurrency through two mounts of one directory served by one daemon: processes creating,
// checking and removing files in the same directory through both mounts at once all finish, and
// each mount sees the other's removals. A regression test: invalidating names across mounts
// (FUSE_NOTIFY_INVAL_ENTRY) deadlocked exactly this workload.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FuseEngine } from "../../src/engines/fuse/mod.js";
import { makeRoot, removeRoot } from "./_targets.js";

const rounds = 300;
const patienceMs = 60_000;

/** One worker: creates, stats and removes `rounds` files of its own in `directory`. */
function churn(directory: string, tag: string): Promise<string> {
  const script = `const fs = require("fs");
for (let i = 0; i < ${rounds}; i++) {
  const path = ${JSON.stringify(directory)} + "/${tag}" + i;
  fs.writeFileSync(path, "x");
  fs.statSync(${JSON.stringify(directory)});
  fs.unlinkSync(path);
}`;
  return new Promise((resolve) => {
    execFile(process.execPath, ["-e", script], { timeout: patienceMs }, (error) => resolve(error ? `${tag}: ${error.message}` : "done"));
  });
}

describe("two mounts of one directory under concurrent changes", () => {
  const engine = new FuseEngine();
  let root = "";

  before(() => {
    root = makeRoot("moor-concurrency-");
  });

  after(async () => {
    await engine.stop();
    removeRoot(root);
  });

  it("lets processes create and remove files in one directory through both mounts at once", async () => {
    const backing = join(root, "backing");
    mkdirSync(join(backing, "shared"), { recursive: true });
    const mounts = [join(root, "a"), join(root, "b")];
    for (const mountPoint of mounts) {
      mkdirSync(mountPoint);
      await engine.mount({ source: backing, mountPoint });
    }
    const [a, b] = mounts.map((mountPoint) => join(mountPoint, "shared"));
    const outcomes = await Promise.all([churn(a, "w"), churn(b, "x"), churn(a, "y"), churn(b, "z")]);
    assert.deepEqual(outcomes, ["done", "done", "done", "done"]);
    assert.deepEqual(readdirSync(a), []);
    assert.deepEqual(readdirSync(b), []);
  });
});
