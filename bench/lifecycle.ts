// bench/lifecycle: how long `moor down` and `moor up` take with pods running, and what a pod
// writing through an enforced (FUSE) volume sees meanwhile.
//   node dist/bench/lifecycle.js [--runs N]
// Each run: a fresh Moor, a writer pod appending every 2 ms through an access-point volume (the
// restart tests' writer), then (1) `moor down` until the command returns (it waits for the
// process to be gone), (2) `moor up` until it serves, (3) `kill -9` of Moor and `moor up` again;
// failed appends are counted over the whole run. Medians over the runs; the time of a bare
// `moor down` with nothing running (node's start-up on this machine) is the baseline.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isProcessRunning } from "../src/engines/command/mod.js";
import { moorEntry, startMoor } from "../test/harness.js";
import { waitFor } from "../test/kubectl.js";
import { startWriter } from "../test/fuse-restart/_writer.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const format = (ms: number) => `${Math.round(ms)} ms`;
const timed = async (action: () => unknown): Promise<number> => {
  const started = performance.now();
  await action();
  return performance.now() - started;
};

const bare: number[] = [];
const downs: number[] = [];
const ups: number[] = [];
const crashUps: number[] = [];
const failed: number[] = [];
for (let run = 0; run < runs; run++) {
  const nothing = mkdtempSync(join(tmpdir(), "moor-bench-idle-"));
  bare.push(await timed(() => execFileSync(process.execPath, [moorEntry, "down"], { env: { ...process.env, MOOR_HOME: nothing } })));
  rmSync(nothing, { recursive: true, force: true });
  const moor = await startMoor();
  try {
    const writer = await startWriter(moor, `bench-${run}`);
    downs.push(await timed(() => execFileSync(process.execPath, [moorEntry, "down"], { env: moor.env })));
    ups.push(await timed(() => moor.start()));
    const pid = (JSON.parse(readFileSync(join(moor.home, "run", "moor.json"), "utf8")) as { pid: number }).pid;
    process.kill(pid, "SIGKILL");
    await waitFor("Moor to die", () => !isProcessRunning(pid), 10_000);
    crashUps.push(await timed(() => moor.start()));
    failed.push((await writer.finish()).failures.length);
  } finally {
    await moor.dispose();
  }
}
console.log(`runs: ${runs}`);
console.log(`moor down, nothing running (baseline): median ${format(median(bare))} (all: ${bare.map(format).join(", ")})`);
console.log(`moor down, a pod with a FUSE volume:   median ${format(median(downs))} (all: ${downs.map(format).join(", ")})`);
console.log(`moor up after moor down:               median ${format(median(ups))} (all: ${ups.map(format).join(", ")})`);
console.log(`moor up after kill -9:                 median ${format(median(crashUps))} (all: ${crashUps.map(format).join(", ")})`);
console.log(`failed appends per run:                ${failed.join(", ")}`);
