// Mounts outlive Moor (DESIGN decision 14, issue 16): a pod appending a line every 2 ms through
// an enforced access-point volume loses no append and sees no error across `kill -9` of Moor and
// the next `moor up`, nor across `moor down` and `moor up`; its open descriptor and its working
// directory inside the mount keep working. The writer's appends during the outage prove the
// volume was served while no Moor ran. `moor down --all` then leaves nothing on the host, the
// daemons that outlived Moor included. Across kill -9 of the FUSE daemon itself the same holds:
// the descriptor holder keeps the connection and the next daemon serves the waiting appends; the
// holder, too, is gone after `moor down --all`. A daemon that dies while Moor is down is replaced
// at the next `moor up` in the same way, its callers only waiting; a connection the holder no
// longer keeps is said dead and mounted over. Times are reported, never asserted
// (bench/lifecycle).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { promisify } from "node:util";
import { isProcessRunning } from "../../src/engines/command/mod.js";
import { moorEntry, startMoor, type MoorUnderTest } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { numberedLines, startWriter, type Writer } from "./_writer.js";

const exec = promisify(execFile);
/** Appends the writer must make while no Moor runs (about 1 s of them at one every ~3 ms). */
const outageAppends = 300;

function moorPid(moor: MoorUnderTest): number {
  return (JSON.parse(readFileSync(join(moor.home, "run", "moor.json"), "utf8")) as { pid: number }).pid;
}

async function moorCommand(moor: MoorUnderTest, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [moorEntry, ...args], { env: moor.env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** Whether the writer keeps appending (by path) while no Moor runs. */
async function appendsWithoutMoor(writer: Writer): Promise<boolean> {
  const from = writer.lines();
  return waitFor("appends while Moor is down", () => writer.lines() >= from + outageAppends, 15_000).then(() => true, () => false);
}

/** Stops the writer; reports its failures by kind; asserts none, and every line in order. */
async function assertEveryAppend(t: TestContext, writer: Writer, served: boolean): Promise<void> {
  const { count, failures } = await writer.finish();
  const kinds = ["path", "held", "relative"].map((kind) => `${kind} ${failures.filter((line) => line.startsWith(`${kind} `)).length}`);
  t.diagnostic(`${count} appends of each kind; failed: ${kinds.join(", ")}`);
  assert.ok(served, "the writer appended while Moor was down");
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} appends failed`);
  const expected = Array.from({ length: count }, (_, index) => index + 1);
  for (const file of ["lines.log", "held.log", "relative.log"]) {
    const lines = numberedLines(readFileSync(join(writer.directory, file), "utf8"));
    assert.equal(lines.length, count, `${file} holds every append`);
    assert.deepEqual(lines, expected, `${file} holds the appends in order`);
  }
}

describe("an enforced volume across restarts of Moor", () => {
  let moor: MoorUnderTest;
  let daemonsAtStart: number[] = [];
  before(async () => {
    moor = await startMoor();
  });
  after(async () => {
    // Everything this test started names its data directory: `moor down --all` stops it all.
    const down = await moorCommand(moor, ["down", "--all"]);
    if (down.code !== 0) console.error(down.stdout, down.stderr);
    rmSync(moor.home, { recursive: true, force: true });
  });

  it("loses no append across kill -9 of Moor and the next moor up", async (t) => {
    const writer = await startWriter(moor, "crash-writer");
    daemonsAtStart = processesNaming(join(moor.home, "run", "fuse"));
    const pid = moorPid(moor);
    process.kill(pid, "SIGKILL");
    await waitFor("Moor to die", () => !isProcessRunning(pid), 10_000);
    const served = await appendsWithoutMoor(writer);
    const startedAt = performance.now();
    await moor.start();
    t.diagnostic(`moor up after kill -9: ${Math.round(performance.now() - startedAt)} ms`);
    await assertEveryAppend(t, writer, served);
  });

  it("loses no append across moor down and moor up, and moor down exits", async (t) => {
    const writer = await startWriter(moor, "down-writer");
    const pid = moorPid(moor);
    const startedAt = performance.now();
    const down = await moorCommand(moor, ["down"]);
    t.diagnostic(`moor down with a pod and its FUSE volume: ${Math.round(performance.now() - startedAt)} ms`);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(isProcessRunning(pid), false, "the Moor process is gone");
    const served = await appendsWithoutMoor(writer);
    await moor.start();
    await assertEveryAppend(t, writer, served);
  });

  it("moor down --all then leaves nothing: no process (daemons included), mount or network namespace", async () => {
    const daemons = processesNaming(join(moor.home, "run", "fuse"));
    assert.ok(daemons.length > 0, "a FUSE daemon serves the writers' volumes");
    // Adopted, not mounted anew: the daemon of the first Moor serves on, one mount per volume.
    assert.deepEqual(daemons, daemonsAtStart, "the daemons are those the first Moor started");
    const stacked = readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((line) => line.includes(" fuse.moor ") && line.includes(` ${moor.home}/`));
    assert.equal(stacked.length, 2, `one FUSE mount for each writer's volume:\n${stacked.join("\n")}`);
    await assertDownAllLeavesNothing(moor);
  });

  it("loses no append across kill -9 of the FUSE daemon: the next daemon takes the held connection over", async (t) => {
    await moor.start();
    const writer = await startWriter(moor, "daemon-writer");
    const daemons = processesNaming(join(moor.home, "run", "fuse")).filter((pid) => commandLine(pid).some((argument) => argument.endsWith("/_main.js")));
    assert.ok(daemons.length > 0, "a FUSE daemon serves the writer's volume");
    const holders = processesNaming(join(moor.home, "run", "fuse")).filter((pid) => commandLine(pid).some((argument) => argument.endsWith("/moor_fuse_holder")));
    assert.equal(holders.length, 1, "one descriptor holder keeps the connections");
    for (const pid of daemons) process.kill(pid, "SIGKILL");
    const from = writer.lines();
    const served = await waitFor("appends after the daemon died", () => writer.lines() >= from + outageAppends, 15_000).then(() => true, () => false);
    const now = processesNaming(join(moor.home, "run", "fuse")).filter((pid) => commandLine(pid).some((argument) => argument.endsWith("/_main.js")));
    assert.ok(now.every((pid) => !daemons.includes(pid)), "a new daemon serves");
    await assertEveryAppend(t, writer, served);
    // The holder too: `moor down --all` leaves no process of the data directory.
    await assertDownAllLeavesNothing(moor);
  });

  it("loses no append when the FUSE daemon dies while Moor is down: the next moor up has a new daemon take the held connection over; one not kept is said dead and mounted over", async (t) => {
    await moor.start();
    const writer = await startWriter(moor, "orphan-writer");
    const lost = await startWriter(moor, "lost-writer");
    const state = join(moor.home, "run", "fuse");
    const down = await moorCommand(moor, ["down"]);
    assert.equal(down.code, 0, down.stderr);
    // The holder gives up the connection of the second volume: with its daemon gone, nothing keeps it.
    assert.equal(await askHolder(state, `drop mount-${mountIdServing(state, lost.directory)}`), "ok");
    const daemons = daemonPids(state);
    assert.ok(daemons.length > 0, "a FUSE daemon serves the writers' volumes");
    for (const pid of daemons) process.kill(pid, "SIGKILL");
    await waitFor("the daemon to die", () => daemons.every((pid) => !isProcessRunning(pid)), 10_000);
    const waitingFrom = writer.lines();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    t.diagnostic(`appends while no daemon served: ${writer.lines() - waitingFrom}`);
    const lostFrom = lost.lines();
    const logFrom = moor.output().length;
    const startedAt = performance.now();
    await moor.start();
    t.diagnostic(`moor up with a held connection to resume: ${Math.round(performance.now() - startedAt)} ms`);
    const from = writer.lines();
    const served = await waitFor("appends after moor up", () => writer.lines() >= from + outageAppends, 15_000).then(() => true, () => false);
    assert.ok(daemonPids(state).every((pid) => !daemons.includes(pid)), "a new daemon serves");
    assert.match(moor.output().slice(logFrom), /lost its daemon while Moor was down: daemon \d+ serves its kept connection now/);
    await assertEveryAppend(t, writer, served);
    // The volume whose connection was not kept: said dead, then mounted over when its pod is taken back.
    assert.match(moor.output().slice(logFrom), /is dead: its daemon died while Moor was down and its connection is no longer kept/);
    await waitFor("appends by path through the volume mounted anew", () => lost.lines() > lostFrom + 10, 30_000);
    await assertDownAllLeavesNothing(moor);
  });
});

/** Pids of the FUSE daemons of a state directory. */
function daemonPids(state: string): number[] {
  return processesNaming(state).filter((pid) => commandLine(pid).some((argument) => argument.endsWith("/_main.js")));
}

/** The id of the mount serving `source`, from the note its daemon keeps in the state directory. */
function mountIdServing(state: string, source: string): number {
  for (const name of readdirSync(state).filter((candidate) => /^mount-\d+\.json$/.test(candidate))) {
    const request = JSON.parse(readFileSync(join(state, name), "utf8")) as { id: number; source: string };
    if (request.source === source) return request.id;
  }
  return assert.fail(`no mount of ${source} is noted in ${state}`);
}

/** One request to the descriptor holder of a state directory, and its answer. */
function askHolder(state: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(state, "holder.sock"));
    let answer = "";
    socket.on("error", reject);
    socket.on("connect", () => socket.write(`${line}\n`));
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (!answer.includes("\n")) return;
      socket.end();
      resolve(answer.trim());
    });
  });
}

async function assertDownAllLeavesNothing(moor: MoorUnderTest): Promise<void> {
  const all = await moorCommand(moor, ["down", "--all"]);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(processesNaming(moor.home), [], "no process of the data directory runs");
  const mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((line) => line.includes(` ${moor.home}/`) || line.includes(" fuse.moor ") && line.includes(moor.home));
  assert.deepEqual(mounts, [], "nothing is mounted below the data directory");
  const digest = createHash("sha256").update(moor.home).digest("hex").slice(0, 8);
  const { stdout: namespaces } = await exec("ip", ["netns", "list"]);
  assert.deepEqual(namespaces.split("\n").filter((line) => line.includes(digest)), [], "no network namespace of the data directory");
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/** Pids of running processes (not zombies) whose command line names `path` or a path below it. */
function processesNaming(path: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid && isProcessRunning(Number(name)))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").some((argument) => argument === path || argument.startsWith(`${path}/`));
      } catch {
        return false;
      }
    })
    .map(Number);
}
