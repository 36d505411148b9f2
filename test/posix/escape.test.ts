// Escape attempts: nothing done through a FUSE mount reaches outside the served directory, not
// by "..", not by symlinks (the daemon never follows one), not by swapping a directory for a
// symlink behind the daemon's back, not by renaming or linking across the mount's boundary.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FuseEngine, type FuseMount } from "../../src/engines/fuse/mod.js";
import { readMountsSync } from "../../src/engines/hostmounts/mod.js";
import { makeRoot, removeRoot } from "./_targets.js";

function errorCode(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

describe("escape attempts through a FUSE mount", () => {
  const engine = new FuseEngine();
  let root = "";
  let served = "";
  let outside = "";
  let at = "";
  let mount: FuseMount;

  before(async () => {
    root = makeRoot("moor-escape-");
    // The backing store: served/ is the access point root, outside/ a sibling it must not reach.
    served = join(root, "store/served");
    outside = join(root, "store/outside");
    mkdirSync(served, { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, "secret"), "outside");
    at = join(root, "mounts/ap");
    mkdirSync(at, { recursive: true });
    mount = await engine.mount({ source: served, mountPoint: at, identity: { uid: 0, gid: 0, secondaryGids: [] } });
  });

  after(async () => {
    await engine.stop();
    removeRoot(root);
  });

  it("resolves .. at the mount root to the mount point's parent, not the backing directory's", () => {
    assert.equal(statSync(join(at, "..")).ino, statSync(dirname(at)).ino);
    assert.equal(errorCode(() => readFileSync(join(at, "../outside/secret"))), "ENOENT");
    assert.deepEqual(readdirSync(at), []);
  });

  it("stores symlinks as given and lets only the caller follow them, in its own namespace", () => {
    symlinkSync("../outside/secret", join(at, "relative"));
    symlinkSync(join(outside, "secret"), join(at, "absolute"));
    assert.equal(readlinkSync(join(served, "relative")), "../outside/secret");
    assert.equal(readlinkSync(join(at, "absolute")), join(outside, "secret"));
    // Relative to the mount point the link leads nowhere: the daemon did not follow it.
    assert.equal(errorCode(() => readFileSync(join(at, "relative"))), "ENOENT");
  });

  it("changes a symlink itself, never its target, when asked to change ownership", () => {
    symlinkSync(join(outside, "secret"), join(served, "owned-link"));
    const before = lstatSync(join(outside, "secret"));
    const chown = spawnSync("chown", ["-h", "1234:1234", join(at, "owned-link")], { encoding: "utf8" });
    assert.equal(chown.status, 0, chown.stderr);
    assert.equal(lstatSync(join(served, "owned-link")).uid, 1234);
    assert.equal(lstatSync(join(outside, "secret")).uid, before.uid);
  });

  it("does not follow a directory that was swapped for a symlink behind its back", () => {
    mkdirSync(join(at, "work"));
    writeFileSync(join(at, "work/before"), "b");
    // Someone with access to the backing store moves the directory away and plants a symlink
    // that, followed on the backing store, leads to the sibling outside the served directory
    // (followed by the caller from the mount point, it leads nowhere).
    renameSync(join(served, "work"), join(served, "moved"));
    symlinkSync("../outside", join(served, "work"));
    const outcome = errorCode(() => writeFileSync(join(at, "work/planted"), "p"));
    assert.equal(existsSync(join(outside, "planted")), false, "a file was created outside the served directory");
    if (outcome === undefined) assert.equal(readFileSync(join(served, "moved/planted"), "utf8"), "p");
    else assert.ok(["ENOENT", "ESTALE"].includes(outcome), `unexpected ${outcome}`);
  });

  it("refuses a name that is not UTF-8 instead of storing it under another name", () => {
    const name = Buffer.concat([Buffer.from(`${at}/bad-`), Buffer.from([0xff, 0xfe])]);
    assert.equal(errorCode(() => writeFileSync(name, "x")), "EINVAL");
    assert.deepEqual(readdirSync(served).filter((entry) => entry.startsWith("bad-")), []);
  });

  it("cannot rename or link across the mount's boundary", () => {
    writeFileSync(join(at, "inside"), "i");
    assert.equal(errorCode(() => renameSync(join(at, "inside"), join(root, "escaped"))), "EXDEV");
    assert.equal(errorCode(() => linkSync(join(at, "inside"), join(root, "escaped"))), "EXDEV");
    assert.equal(errorCode(() => renameSync(join(outside, "secret"), join(at, "stolen"))), "EXDEV");
    assert.equal(existsSync(join(outside, "secret")), true);
    assert.equal(mount.mountPoint, at);
  });

  it("opens the served directory beneath the file system's root and refuses one reached through a planted link (issue 16)", async () => {
    const store = join(root, "store");
    mkdirSync(join(outside, "x"));
    symlinkSync(outside, join(store, "esc"));
    const planted = join(root, "mounts/planted");
    mkdirSync(planted);
    await assert.rejects(engine.mount({ source: join(store, "esc/x"), within: store, mountPoint: planted }), /ELOOP|ENOTDIR/);
    assert.equal(readMountsSync().some((entry) => entry.mountPoint === planted), false, "nothing is mounted");
    const served2 = await engine.mount({ source: served, within: store, mountPoint: planted });
    assert.equal(existsSync(join(planted, "inside")), true, "a source beneath the root is served");
    await served2.unmount();
  });
});
