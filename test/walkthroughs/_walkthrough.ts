// Running an examples/<name>/walkthrough.sh against a test's Moor, as a user would: the Moor's
// environment (endpoints, kubeconfig), the `moor` command line in MOOR_CLI, a work directory in
// WORK; asserts it ended well and prints its steps (its `==> ` lines) with the time it took.

import assert from "node:assert/strict";
import { join } from "node:path";
import { type MoorUnderTest, moorEntry, repoRoot, run } from "../harness.js";

/** Runs the walkthrough to its end and returns what it printed (stdout, then stderr). */
export async function runWalkthrough(moor: MoorUnderTest, name: string, work: string, timeoutMs: number): Promise<{ stdout: string; output: string }> {
  const startedAt = Date.now();
  const walked = await run("bash", [join(repoRoot, "examples", name, "walkthrough.sh")], {
    env: { ...moor.env, MOOR_CLI: `${process.execPath} ${moorEntry}`, WORK: work },
    timeoutMs,
  });
  const output = walked.stdout + walked.stderr;
  assert.equal(walked.code, 0, output.slice(-5000));
  console.log(`# walkthrough.sh: ${((Date.now() - startedAt) / 1000).toFixed(1)} s; its steps:`);
  for (const line of output.split("\n").filter((entry) => entry.startsWith("==> "))) console.log(`#   ${line.slice(4)}`);
  return { stdout: walked.stdout, output };
}
