// Failures: a FUSE daemon that dies is replaced and its mounts served again (by a take-over of
// the connection the holder kept, see takeover.test.ts; new opens work, also inside a sandbox's
// mount namespace that receives mounts with slave propagation); when Moor
// itself dies, its daemon serves on and the next Moor adopts its mounts, open files and all; when
// both die at once, unmountAll clears what is left. These tests assert what happens, never how
// fast.

import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, closeSync, mkdirSync, openSync, readFileSync, readlinkSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { FuseEngine, prepareMountRoot, unmountAll } from "../../src/engines/fuse/mod.js";
import { readMountsSync } from "../../src/engines/hostmounts/mod.js";
import { makeRoot, removeRoot } from "./_targets.js";

const standIn = fileURLToPath(new URL("./_moor-stand-in.js", import.meta.url));
const identity = { uid: 1000, gid: 1000, secondaryGids: [] };
const pollMs = 20;
const patienceMs = 10_000;

/** Polls `check` until it holds or patience runs out; returns whether it held. */
async function eventually(check: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < patienceMs; waited += pollMs) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return check();
}

/** `eventually` for checks that must not block this process's event loop. */
async function eventuallyAsync(check: () => Promise<boolean>): Promise<boolean> {
  for (let waited = 0; waited < patienceMs; waited += pollMs) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return check();
}

/** A file's text as `cat` in a child process reads it (its error text if it fails). */
function catAsync(path: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("cat", [path], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("close", (code) => resolve(code === 0 ? out : err.trim()));
  });
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "error";
  }
}

function mountedAt(path: string): number {
  return readMountsSync().filter((entry) => entry.mountPoint === path && entry.fsType === "fuse.moor").length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/status`, "utf8").includes("State:\tZ");
  } catch {
    return false;
  }
}

function startStandIn(source: string, mountPoint: string, stateDirectory: string): Promise<{ child: ChildProcess; daemonPid: number }> {
  const child = spawn(process.execPath, [standIn, source, mountPoint, stateDirectory], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("\n")) resolve({ child, daemonPid: (JSON.parse(output) as { daemonPid: number }).daemonPid });
    });
    child.on("exit", (code) => reject(new Error(`the stand-in exited with ${code} before mounting`)));
  });
}

describe("FUSE daemon failures", () => {
  let root = "";
  let mounts = "";
  let counter = 0;

  /** A backing directory with one file, and an empty mount point under the shared mount root. */
  function volume(): { backing: string; at: string } {
    counter += 1;
    const backing = join(root, `backing-${counter}`);
    mkdirSync(backing);
    chownSync(backing, identity.uid, identity.gid);
    writeFileSync(join(backing, "file"), "before");
    const at = join(mounts, `volume-${counter}`);
    mkdirSync(at);
    return { backing, at };
  }

  before(async () => {
    root = makeRoot("moor-crash-");
    mounts = join(root, "mounts");
    mkdirSync(mounts);
    await prepareMountRoot(mounts);
  });

  after(() => {
    spawnSync("umount", ["-l", mounts]);
    removeRoot(root);
  });

  it("repairs the mounts of a crashed daemon: new opens work again, in sandboxes too", async () => {
    const engine = new FuseEngine();
    const { backing, at } = volume();
    const mount = await engine.mount({ source: backing, mountPoint: at, identity });
    // A sandbox: its own mount namespace, receiving our mounts with slave propagation.
    const sandbox = spawn("unshare", ["--mount", "--propagation", "slave", "sleep", "600"], { stdio: "ignore" });
    const ownNamespace = readlinkSync("/proc/self/ns/mnt");
    assert.ok(await eventually(() => read(`/proc/${sandbox.pid}/comm`).trim() === "sleep" && readlinkSync(`/proc/${sandbox.pid}/ns/mnt`) !== ownNamespace));
    const inSandbox = () => spawnSync("nsenter", ["-t", String(sandbox.pid), "-m", "cat", join(at, "file")], { encoding: "utf8" }).stdout;
    // And a slave bind of the mount point, as a sandbox's bind of the volume would be.
    const view = join(root, "view");
    mkdirSync(view);
    assert.equal(spawnSync("mount", ["--bind", at, view]).status, 0);
    assert.equal(spawnSync("mount", ["--make-slave", view]).status, 0);
    try {
      assert.equal(inSandbox(), "before");
      const crashed = mount.daemonPid as number;
      process.kill(crashed, "SIGKILL");
      assert.ok(await eventually(() => read(join(at, "file")) === "before"), "new opens on the host never worked again");
      await mount.repaired();
      assert.notEqual(mount.daemonPid, crashed);
      assert.ok(await eventually(() => inSandbox() === "before"), "new opens in the sandbox never worked again");
      assert.ok(await eventually(() => read(join(view, "file")) === "before"), "new opens through the slave bind never worked again");
      writeFileSync(join(at, "after"), "written after the repair");
      assert.equal(readFileSync(join(backing, "after"), "utf8"), "written after the repair");
    } finally {
      sandbox.kill("SIGKILL");
      for (let attempt = 0; attempt < 3 && mountedAt(view) > 0; attempt += 1) spawnSync("umount", ["-l", view]);
      await engine.stop();
    }
    assert.equal(mountedAt(at), 0);
  });

  it("replaces a daemon that hangs, as one that died: the caller stuck on it is answered by the next daemon", async () => {
    const engine = new FuseEngine({ hangTimeoutMs: 1000 });
    const { backing, at } = volume();
    const mount = await engine.mount({ source: backing, mountPoint: at, identity });
    const hung = mount.daemonPid as number;
    // Only other processes touch the mount from here: this one supervises the daemon, and a
    // read of ours would wait on the hung daemon with our event loop.
    process.kill(hung, "SIGSTOP");
    const reading = catAsync(join(at, "file"));
    try {
      assert.ok(await eventuallyAsync(async () => !alive(hung)), "the hung daemon was never killed");
      // The reader started after the daemon stopped: its request waited in the connection the
      // holder kept, and the daemon that took it over answered it.
      const stuck = await reading;
      assert.equal(stuck, "before", `the stuck reader got ${stuck}`);
      await mount.repaired();
      assert.notEqual(mount.daemonPid, hung);
      assert.ok(await eventuallyAsync(async () => (await catAsync(join(at, "file"))) === "before"), "new opens never worked again");
    } finally {
      if (alive(hung)) process.kill(hung, "SIGKILL");
      await engine.stop();
    }
    assert.equal(mountedAt(at), 0);
  });

  it("serves on when Moor dies; the next engine on the state directory adopts the mount, open files and locks included", async () => {
    const { backing, at } = volume();
    const state = join(root, `state-${counter}`);
    const { child, daemonPid } = await startStandIn(backing, at, state);
    const held = openSync(join(at, "held"), "a");
    writeSync(held, "one\n");
    writeFileSync(join(at, "lock"), "");
    // One process holding the lock itself (flock(1) would leave it to a child that outlives it).
    const hold = "import fcntl, os, sys, time\nfcntl.flock(os.open(sys.argv[1], os.O_RDWR), fcntl.LOCK_EX)\ntime.sleep(600)";
    const locker = spawn("python3", ["-c", hold, join(at, "lock")], { stdio: "ignore" });
    const locked = () => spawnSync("flock", ["-n", "-x", join(at, "lock"), "true"]).status === 1;
    assert.ok(await eventually(locked), "the lock was never taken");
    child.kill("SIGKILL");
    assert.ok(await eventually(() => child.exitCode !== null || child.signalCode !== null), "the stand-in never died");
    assert.ok(alive(daemonPid), "the daemon died with Moor");
    writeSync(held, "two\n");
    assert.equal(read(join(at, "file")), "before", "the mount stopped answering without Moor");
    // A Moor that stops before its pod asked for the volume again leaves it serving.
    const early = new FuseEngine({ stateDirectory: state });
    assert.equal(await early.adopt(), 1);
    await early.stop();
    assert.ok(alive(daemonPid), "a Moor that never claimed the mount ended its daemon");
    assert.equal(read(join(at, "file")), "before");
    const engine = new FuseEngine({ stateDirectory: state });
    try {
      assert.equal(await engine.adopt(), 1);
      const mount = await engine.mount({ source: backing, mountPoint: at, identity });
      assert.equal(mount.daemonPid, daemonPid, "the mount was adopted, not mounted anew");
      assert.equal(mountedAt(at), 1);
      writeSync(held, "three\n");
      assert.ok((await mount.stats()).inodes > 0);
      assert.equal(locked(), true, "the lock taken before Moor died is still held");
      locker.kill("SIGKILL");
      assert.ok(await eventually(() => !locked()), "the lock was not released when its holder died");
    } finally {
      locker.kill("SIGKILL");
      closeSync(held);
      await engine.stop();
    }
    assert.equal(readFileSync(join(backing, "held"), "utf8"), "one\ntwo\nthree\n");
    assert.equal(mountedAt(at), 0);
    assert.ok(await eventually(() => !alive(daemonPid)), "the daemon outlived the engine that stopped it");
  });

  it("leaves the mounts of a dead daemon in place, dead, for the next engine to mount over", async () => {
    const { backing, at } = volume();
    const state = join(root, `state-${counter}`);
    const { child, daemonPid } = await startStandIn(backing, at, state);
    child.kill("SIGKILL");
    process.kill(daemonPid, "SIGKILL");
    assert.ok(await eventually(() => read(join(at, "file")) === "ENOTCONN"), "the dead mount still answered");
    const engine = new FuseEngine({ stateDirectory: state });
    try {
      assert.equal(await engine.adopt(), 0);
      const mount = await engine.mount({ source: backing, mountPoint: at, identity });
      assert.notEqual(mount.daemonPid, daemonPid);
      assert.equal(read(join(at, "file")), "before");
    } finally {
      await engine.stop();
    }
    assert.equal(mountedAt(at), 0);
  });

  it("forgets a mount unmounted from outside: mounting it again serves it anew", async () => {
    const engine = new FuseEngine();
    const { backing, at } = volume();
    try {
      await engine.mount({ source: backing, mountPoint: at, identity });
      assert.equal(spawnSync("umount", [at]).status, 0);
      assert.equal(mountedAt(at), 0);
      const again = await eventuallyAsync(async () => {
        try {
          await engine.mount({ source: backing, mountPoint: at, identity });
          return true;
        } catch {
          return false;
        }
      });
      assert.ok(again, "the engine kept the mount that was gone");
      assert.equal(mountedAt(at), 1);
      assert.equal(await catAsync(join(at, "file")), "before");
    } finally {
      await engine.stop();
    }
    assert.equal(mountedAt(at), 0);
  });

  it("clears dead mounts with unmountAll after Moor and its daemon died together", async () => {
    const { at } = volume();
    const { child, daemonPid } = await startStandIn(join(root, `backing-${counter}`), at, join(root, `state-${counter}`));
    process.kill(daemonPid, "SIGKILL");
    child.kill("SIGKILL");
    assert.ok(await eventually(() => !alive(child.pid as number)));
    assert.ok(await eventually(() => read(join(at, "file")) === "ENOTCONN"), "the dead mount still answered");
    assert.ok(mountedAt(at) >= 1);
    assert.ok((await unmountAll(mounts)) >= 1);
    assert.equal(mountedAt(at), 0);
    assert.deepEqual(readdirSync(at), []);
  });
});
