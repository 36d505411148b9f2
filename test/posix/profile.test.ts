// What a FUSE mount reports about the requests it served, for benchmarks (bench/fuse-roundtrip):
// counts by opcode always, and the time its handlers took by opcode only when the daemon runs
// with MOOR_FUSE_PROFILE=1, so that the usual daemon pays nothing for timing.

import assert from "node:assert/strict";
import { chownSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FuseEngine, FuseOpcode, type FuseMount } from "../../src/engines/fuse/mod.js";
import { makeRoot, removeRoot } from "./_targets.js";

const identity = { uid: 1000, gid: 1000, secondaryGids: [] };
let root = "";

/** Mounts a fresh directory through `engine`, with MOOR_FUSE_PROFILE as given while the daemon starts. */
async function mountWith(engine: FuseEngine, name: string, profile: boolean): Promise<FuseMount> {
  const backing = join(root, `${name}-backing`);
  const mountPoint = join(root, name);
  mkdirSync(backing);
  chownSync(backing, identity.uid, identity.gid);
  mkdirSync(mountPoint);
  const before = process.env.MOOR_FUSE_PROFILE;
  if (profile) process.env.MOOR_FUSE_PROFILE = "1";
  else delete process.env.MOOR_FUSE_PROFILE;
  try {
    return await engine.mount({ source: backing, mountPoint, identity });
  } finally {
    if (before === undefined) delete process.env.MOOR_FUSE_PROFILE;
    else process.env.MOOR_FUSE_PROFILE = before;
  }
}

/** Creates a file and stats a missing one: at least a CREATE and a LOOKUP reach the daemon. */
function touch(mountPoint: string): void {
  closeSync(openSync(join(mountPoint, "file"), "w"));
  assert.throws(() => statSync(join(mountPoint, "missing")), { code: "ENOENT" });
}

describe("request statistics of a FUSE mount", () => {
  const engines: FuseEngine[] = [];

  before(() => {
    root = makeRoot("moor-profile-");
  });

  after(async () => {
    for (const engine of engines) await engine.stop();
    removeRoot(root);
  });

  it("times the handlers by opcode when the daemon runs with MOOR_FUSE_PROFILE=1", async () => {
    const engine = new FuseEngine();
    engines.push(engine);
    const mount = await mountWith(engine, "profiled", true);
    touch(mount.mountPoint);
    const stats = await mount.stats();
    assert.ok((stats.requests[FuseOpcode.create] ?? 0) >= 1);
    assert.ok((stats.handlerNanos?.[FuseOpcode.create] ?? 0) > 0, "no handler time for CREATE");
    assert.ok((stats.handlerNanos?.[FuseOpcode.lookup] ?? 0) > 0, "no handler time for LOOKUP");
    await mount.unmount();
  });

  it("counts requests but times nothing without MOOR_FUSE_PROFILE", async () => {
    const engine = new FuseEngine();
    engines.push(engine);
    const mount = await mountWith(engine, "plain", false);
    touch(mount.mountPoint);
    const stats = await mount.stats();
    assert.ok((stats.requests[FuseOpcode.create] ?? 0) >= 1);
    assert.equal(stats.handlerNanos, undefined);
    await mount.unmount();
  });
});
