// The POSIX conformance suite: every scenario runs as uid/gid 1000 on a native directory (the
// reference), on a bind mount, and on Moor's FUSE mount enforcing the access-point identity
// 1000:1000; the bind and FUSE results must equal the native ones. Where an access point differs
// by design, the difference is named below and both sides are asserted.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FuseEngine } from "../../src/engines/fuse/mod.js";
import { testIdentity } from "./_fixtures.js";
import { scenarios } from "./_scenarios.js";
import { bindTarget, fuseTarget, makeRoot, nativeTarget, removeRoot, runScenarios, type Target } from "./_targets.js";

interface Difference {
  path: string[];
  native: unknown;
  fuse: unknown;
  why: string;
}

const differencesByDesign: Record<string, Difference[]> = {
  "fcntl record locks are seen across mounts": [
    {
      path: ["first", "holderPid"],
      native: true,
      fuse: false,
      why: "the daemon holds locks as open-file-description locks, which have no owning process to report",
    },
  ],
  "EACCES: search, read and write permission on each call": [
    {
      path: ["rmdirInRootDirectory"],
      native: "EACCES",
      fuse: "ENOTDIR",
      why: "the daemon, not the kernel, checks permissions as the access point's identity; the kernel refuses rmdir of a non-directory before it asks the daemon",
    },
  ],
  "set-ID bits are cleared by a write, a truncation and a chown": [
    {
      path: ["zero-byte-write"],
      native: "0o4755",
      fuse: "0o755",
      why: "set-ID bits go when a non-root writer opens the file for writing: with passthrough, writes never reach the daemon, so it cannot wait for the first byte",
    },
  ],
};

function extract(result: unknown, path: string[]): { value: unknown; rest: unknown } {
  const rest = structuredClone(result) as Record<string, unknown>;
  let parent = rest;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const value = parent[path[path.length - 1]];
  delete parent[path[path.length - 1]];
  return { value, rest };
}

describe("POSIX conformance: bind mount and enforced FUSE mount against a native directory", () => {
  const names = Object.keys(scenarios);
  const engine = new FuseEngine();
  const targets: Target[] = [];
  const results: Record<string, Record<string, unknown>> = {};
  let root = "";

  before(async () => {
    root = makeRoot("moor-posix-");
    targets.push(nativeTarget(root), bindTarget(root), await fuseTarget(engine, root));
    for (const target of targets) results[target.name] = await runScenarios(target, names, testIdentity);
  });

  after(async () => {
    for (const target of targets) await target.dispose();
    await engine.stop();
    removeRoot(root);
  });

  for (const name of names) {
    it(`${name}: the same on a bind mount and through FUSE as natively`, () => {
      let native = results.native[name];
      let fuse = results.fuse[name];
      assert.equal((native as { crashed?: string })?.crashed, undefined, `the native run crashed`);
      assert.deepEqual(results.bind[name], native, "bind mount differs from native");
      for (const difference of differencesByDesign[name] ?? []) {
        const fromNative = extract(native, difference.path);
        const fromFuse = extract(fuse, difference.path);
        assert.deepEqual(fromNative.value, difference.native, `native ${difference.path.join(".")}`);
        assert.deepEqual(fromFuse.value, difference.fuse, `FUSE ${difference.path.join(".")} (by design: ${difference.why})`);
        native = fromNative.rest;
        fuse = fromFuse.rest;
      }
      assert.deepEqual(fuse, native, "FUSE differs from native");
    });
  }
});
