// A daemon that dies fails no caller: the descriptor holder keeps each mount's /dev/fuse
// connection, the kernel queues the callers' requests, and the next daemon serves them on the
// same connection. Appends every 2 ms (by path, through a descriptor held open, and by a path
// relative to a working directory inside the mount) across kill -9 of the daemon: none fails,
// every line is there in order. A daemon that no one restarts within the bound leaves its callers
// an error, not a wait without end.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FuseEngine, prepareMountRoot } from "../../src/engines/fuse/mod.js";
import { makeRoot, removeRoot } from "./_targets.js";

const identity = { uid: 1000, gid: 1000, secondaryGids: [] };

const writer = [
  "cd \"$1/work\" || exit 1",
  "exec 3>>held.log",
  "i=0",
  "while [ ! -e \"$1/stop\" ]; do",
  "  i=$((i+1))",
  "  echo $i >> \"$1/lines.log\" || echo \"path $i\" >> \"$2\"",
  "  echo $i >&3 || echo \"held $i\" >> \"$2\"",
  "  echo $i >> relative.log || echo \"relative $i\" >> \"$2\"",
  "  sleep 0.002",
  "done",
  "echo $i > \"$3\"",
].join("\n");

function numbered(path: string): number[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map(Number);
}

function lineCount(path: string): number {
  try {
    return readFileSync(path, "utf8").split("\n").length - 1;
  } catch {
    return 0;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

/** Runs `command` in a child process (never in this one, whose event loop supervises the daemon). */
function run(command: string[]): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output: output.trim(), ms: Date.now() - started }));
  });
}

describe("FUSE daemon take-over", () => {
  let root = "";
  let mounts = "";
  let counter = 0;

  function volume(): { backing: string; at: string } {
    counter += 1;
    const backing = join(root, `backing-${counter}`);
    mkdirSync(join(backing, "work"), { recursive: true });
    chownSync(backing, identity.uid, identity.gid);
    chownSync(join(backing, "work"), identity.uid, identity.gid);
    writeFileSync(join(backing, "file"), "before");
    const at = join(mounts, `volume-${counter}`);
    mkdirSync(at);
    return { backing, at };
  }

  before(async () => {
    root = makeRoot("moor-takeover-");
    mounts = join(root, "mounts");
    mkdirSync(mounts);
    await prepareMountRoot(mounts);
  });

  after(() => {
    spawnSync("umount", ["-l", mounts]);
    removeRoot(root);
  });

  it("fails no append across kill -9 of the daemon: the next daemon serves the waiting callers on the same connection", async () => {
    const engine = new FuseEngine({ stateDirectory: join(root, "state-append") });
    const { backing, at } = volume();
    const mount = await engine.mount({ source: backing, mountPoint: at, identity });
    const notes = join(root, "notes");
    mkdirSync(notes);
    chownSync(notes, identity.uid, identity.gid);
    const fails = join(notes, "fails");
    const count = join(notes, "count");
    const appender = spawn("setpriv", ["--reuid=1000", "--regid=1000", "--clear-groups", "sh", "-c", writer, "sh", at, fails, count], { stdio: "ignore" });
    try {
      assert.ok(await until(() => lineCount(join(backing, "lines.log")) > 50, 10_000), "the writer never appended");
      const killed = mount.daemonPid as number;
      process.kill(killed, "SIGKILL");
      assert.ok(await until(() => mount.daemonPid !== undefined && mount.daemonPid !== killed, 10_000), "no new daemon");
      await mount.repaired();
      const afterKill = lineCount(join(backing, "lines.log"));
      assert.ok(await until(() => lineCount(join(backing, "lines.log")) > afterKill + 100, 10_000), "the writer stopped appending");
      // A second death, after the first take-over: the node ids the second daemon handed out too.
      const again = mount.daemonPid as number;
      process.kill(again, "SIGKILL");
      assert.ok(await until(() => mount.daemonPid !== undefined && mount.daemonPid !== again, 10_000), "no new daemon");
      await mount.repaired();
      const afterSecond = lineCount(join(backing, "lines.log"));
      assert.ok(await until(() => lineCount(join(backing, "lines.log")) > afterSecond + 100, 10_000), "the writer stopped appending");
      writeFileSync(join(backing, "stop"), "");
      assert.ok(await until(() => appender.exitCode !== null, 10_000), "the writer never stopped");
      const made = Number(readFileSync(count, "utf8"));
      let failures = "";
      try {
        failures = readFileSync(fails, "utf8");
      } catch {
        // None failed: the file was never written.
      }
      assert.equal(failures, "", "appends failed");
      const expected = Array.from({ length: made }, (_, index) => index + 1);
      assert.deepEqual(numbered(join(backing, "lines.log")), expected);
      assert.deepEqual(numbered(join(backing, "work", "held.log")), expected);
      assert.deepEqual(numbered(join(backing, "work", "relative.log")), expected);
    } finally {
      appender.kill("SIGKILL");
      await engine.stop();
    }
  });

  it("gives callers an error, not an endless wait, when no daemon takes the connection over within the bound", async () => {
    // No restart allowed: the holder keeps the connection for the bound, then gives it up.
    const engine = new FuseEngine({ stateDirectory: join(root, "state-bound"), takeoverTimeoutMs: 1500, restartsMax: 0 });
    const { backing, at } = volume();
    const mount = await engine.mount({ source: backing, mountPoint: at, identity });
    try {
      assert.equal((await run(["cat", join(at, "file")])).output, "before");
      process.kill(mount.daemonPid as number, "SIGKILL");
      const reading = await run(["cat", join(at, "file")]);
      assert.notEqual(reading.code, 0);
      assert.match(reading.output, /Transport endpoint|Software caused|Input\/output/, `the reader got ${reading.output}`);
      // It waited for a new daemon (the bound), then was let go.
      assert.ok(reading.ms >= 1000 && reading.ms < 10_000, `the reader waited ${reading.ms} ms`);
    } finally {
      await engine.stop();
    }
  });
});
