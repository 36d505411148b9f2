// The access-point rules a FUSE mount enforces: the identity owns what it creates whoever calls,
// chown is for root only, root is squashed without ClientRootAccess, a mount without ClientWrite
// refuses every write with EROFS, and without an identity the caller's own uid and groups count.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FuseEngine, FuseOpcode, passthroughAvailable, type FuseMount, type FuseMountOptions } from "../../src/engines/fuse/mod.js";
import { prepareFixtures } from "./_fixtures.js";
import { makeRoot, removeRoot } from "./_targets.js";

const engine = new FuseEngine();
let root = "";
let counter = 0;

/** A fresh backing directory with the fixtures, mounted with `options`. */
async function mounted(options: Partial<FuseMountOptions>): Promise<{ mount: FuseMount; backing: string; at: string }> {
  counter += 1;
  const backing = join(root, `backing-${counter}`);
  const at = join(root, `mount-${counter}`);
  mkdirSync(backing);
  mkdirSync(at);
  prepareFixtures(backing);
  const mount = await engine.mount({ ...options, source: backing, mountPoint: at });
  return { mount, backing, at };
}

/** Runs a command as another uid/gid (with supplementary groups if given). */
function as(uid: number, gid: number, command: string[], groups: number[] = []): { status: number | null; stderr: string } {
  const groupOption = groups.length > 0 ? `--groups=${groups.join(",")}` : "--clear-groups";
  const result = spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${gid}`, groupOption, "--", ...command], { encoding: "utf8" });
  return { status: result.status, stderr: result.stderr.trim() };
}

function owner(path: string): string {
  const stats = lstatSync(path);
  return `${stats.uid}:${stats.gid}`;
}

function errorCode(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

describe("access-point identity rules on a FUSE mount", () => {
  before(() => {
    root = makeRoot("moor-identity-");
  });

  after(async () => {
    await engine.stop();
    removeRoot(root);
  });

  it("gives new files to the identity, whoever creates them", async () => {
    const { mount, backing, at } = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [] } });
    writeFileSync(join(at, "by-root"), "r");
    mkdirSync(join(at, "dir-by-root"));
    symlinkSync("by-root", join(at, "link-by-root"));
    assert.equal(as(2000, 2000, ["touch", join(at, "by-2000")]).status, 0);
    assert.equal(as(2000, 2000, ["mkfifo", join(at, "fifo-by-2000")]).status, 0);
    for (const name of ["by-root", "dir-by-root", "link-by-root", "by-2000", "fifo-by-2000"]) {
      assert.equal(owner(join(backing, name)), "1000:1000", name);
    }
    await mount.unmount();
  });

  it("refuses chown with EPERM unless the identity is root", async () => {
    const user = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [] } });
    writeFileSync(join(user.at, "f"), "f");
    assert.equal(as(0, 0, ["chown", "2000", join(user.at, "f")]).stderr.includes("Operation not permitted"), true);
    assert.equal(owner(join(user.backing, "f")), "1000:1000");
    await user.mount.unmount();

    const rootIdentity = await mounted({ identity: { uid: 0, gid: 0, secondaryGids: [] } });
    writeFileSync(join(rootIdentity.at, "f"), "f");
    assert.equal(as(2000, 2000, ["chown", "2000:3000", join(rootIdentity.at, "f")]).status, 0);
    assert.equal(owner(join(rootIdentity.backing, "f")), "2000:3000");
    await rootIdentity.mount.unmount();
  });

  it("squashes root to 65534 without root access, and leaves other callers alone", async () => {
    const { mount, backing, at } = await mounted({ squashRoot: true });
    chmodSync(backing, 0o777);
    writeFileSync(join(at, "by-root"), "r");
    assert.equal(owner(join(backing, "by-root")), "65534:65534");
    assert.equal(errorCode(() => readFileSync(join(at, "fixtures/root-private"))), "EACCES");
    assert.equal(errorCode(() => writeFileSync(join(at, "fixtures/root-file"), "x")), "EACCES");
    assert.equal(as(0, 0, ["chown", "0", join(at, "by-root")]).status !== 0, true);
    assert.equal(as(1000, 1000, ["touch", join(at, "by-1000")]).status, 0);
    assert.equal(owner(join(backing, "by-1000")), "1000:1000");
    await mount.unmount();
  });

  it("squashes an identity of uid 0 too", async () => {
    const { mount, backing, at } = await mounted({ identity: { uid: 0, gid: 0, secondaryGids: [] }, squashRoot: true });
    chmodSync(backing, 0o777);
    assert.equal(as(1000, 1000, ["touch", join(at, "new")]).status, 0);
    assert.equal(owner(join(backing, "new")), "65534:65534");
    assert.equal(errorCode(() => readFileSync(join(at, "fixtures/root-private"))), "EACCES");
    await mount.unmount();
  });

  it("refuses every write on a read-only mount with EROFS", async () => {
    const { mount, backing, at } = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [] }, readOnly: true });
    writeFileSync(join(backing, "existing"), "keep");
    const refusals: Record<string, string | undefined> = {
      create: errorCode(() => writeFileSync(join(at, "new"), "x")),
      overwrite: errorCode(() => writeFileSync(join(at, "existing"), "x")),
      truncate: errorCode(() => truncateSync(join(at, "existing"), 0)),
      mkdir: errorCode(() => mkdirSync(join(at, "dir"))),
      unlink: errorCode(() => unlinkSync(join(at, "existing"))),
      chmod: errorCode(() => chmodSync(join(at, "existing"), 0o600)),
      symlink: errorCode(() => symlinkSync("existing", join(at, "link"))),
    };
    for (const [action, code] of Object.entries(refusals)) assert.equal(code, "EROFS", action);
    const touch = as(1000, 1000, ["touch", join(at, "existing")]);
    assert.match(touch.stderr, /Read-only file system/);
    const attribute = spawnSync("setfattr", ["-n", "user.a", "-v", "1", join(at, "existing")], { encoding: "utf8" });
    assert.match(attribute.stderr, /Read-only file system/);
    assert.equal(readFileSync(join(at, "existing"), "utf8"), "keep");
    await mount.unmount();
  });

  it("uses the caller's own uid and supplementary groups without an identity", async () => {
    const { mount, backing, at } = await mounted({});
    chmodSync(backing, 0o777);
    assert.equal(as(2000, 2000, ["sh", "-c", `umask 077 && echo mine > ${join(at, "private")}`]).status, 0);
    assert.equal(owner(join(backing, "private")), "2000:2000");
    assert.match(as(1000, 1000, ["cat", join(at, "private")]).stderr, /Permission denied/);
    assert.match(as(1000, 1000, ["cat", join(at, "fixtures/other-group-file")]).stderr, /Permission denied/);
    assert.equal(as(1000, 1000, ["cat", join(at, "fixtures/other-group-file")], [3000]).status, 0);
    await mount.unmount();
  });

  it("grants the identity's secondary groups", async () => {
    const withGroup = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [3000] } });
    assert.equal(readFileSync(join(withGroup.at, "fixtures/other-group-file"), "utf8"), "other group");
    await withGroup.mount.unmount();
    const without = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [] } });
    assert.equal(errorCode(() => readFileSync(join(without.at, "fixtures/other-group-file"))), "EACCES");
    await without.mount.unmount();
  });

  it("reports size changes for metering", async () => {
    let total = 0;
    const { mount, at } = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [] }, onBytesWritten: (delta) => (total += delta) });
    const waitFor = async (expected: number) => {
      for (let attempt = 0; attempt < 100 && total !== expected; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(total, expected);
    };
    writeFileSync(join(at, "data"), Buffer.alloc(100_000, 1));
    await waitFor(100_000);
    truncateSync(join(at, "data"), 10);
    await waitFor(10);
    unlinkSync(join(at, "data"));
    await waitFor(0);
    await mount.unmount();
  });

  it("passes file data through the kernel without the daemon when the native shim is built", async () => {
    assert.equal(passthroughAvailable(), true, "native/build.sh has not built the shim");
    const { mount, at } = await mounted({ identity: { uid: 1000, gid: 1000, secondaryGids: [] } });
    const data = Buffer.alloc(4 * 1024 * 1024, 7);
    writeFileSync(join(at, "big"), data);
    assert.deepEqual(readFileSync(join(at, "big")), data);
    assert.equal(statSync(join(at, "big")).size, data.length);
    const stats = await mount.stats();
    assert.equal(stats.passthrough, true);
    assert.equal(stats.requests[FuseOpcode.read] ?? 0, 0);
    assert.equal(stats.requests[FuseOpcode.write] ?? 0, 0);
    await mount.unmount();
  });
});
