// The mount engine against real bind mounts on this machine (root), with the EFS objects in a
// small in-memory reader and a recording stand-in for the FUSE engine.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { ObjectKey, StoredObject } from "../../domain/objects/mod.js";
import { readMountsSync } from "../hostmounts/mod.js";
import { type EfsObjectReader, type EnforcedMountOptions, MountEngine } from "./mod.js";

/** The objects the engine reads, by kind and name (these kinds are cluster-scoped). */
function objectReader(): EfsObjectReader & { create(object: StoredObject): void } {
  const objects: StoredObject[] = [];
  return {
    create: (object) => void objects.push(object),
    get: (key: ObjectKey) => objects.find((object) => object.kind === key.kind && object.metadata.name === key.name),
    list: (kind) => ({ items: objects.filter((object) => object.kind === kind) }),
  };
}

const fsId = "fs-0123456789abcdef0";
const apId = "fsap-0123456789abcdef0";
const work = mkdtempSync(join(tmpdir(), "moor-mount-"));
const engines: MountEngine[] = [];
after(async () => {
  for (const engine of engines) await engine.unmountAll();
  rmSync(work, { recursive: true, force: true });
});

function setUp(options: { policy?: string; mountTargetZone?: string; accessPoint?: Record<string, unknown> } = {}) {
  const store = objectReader();
  const backingRoot = mkdtempSync(join(work, "backing-"));
  mkdirSync(join(backingRoot, fsId), { mode: 0o755 });
  store.create({
    apiVersion: "efs.moor.dev/v1",
    kind: "FileSystem",
    metadata: { name: fsId },
    spec: { creationToken: "t", tags: [], lifecyclePolicies: [], ...(options.policy ? { policy: options.policy } : {}) },
    status: { lifeCycleState: "available" },
  });
  store.create({
    apiVersion: "efs.moor.dev/v1",
    kind: "MountTarget",
    metadata: { name: "fsmt-0123456789abcdef0" },
    spec: { fileSystemId: fsId, availabilityZoneName: options.mountTargetZone ?? "us-east-1a" },
    status: { lifeCycleState: "available" },
  });
  store.create({
    apiVersion: "efs.moor.dev/v1",
    kind: "AccessPoint",
    metadata: { name: apId },
    spec: {
      fileSystemId: fsId,
      posixUser: { uid: 1000, gid: 1000, secondaryGids: [] },
      rootDirectory: { path: "/data/app", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" } },
      tags: [],
      ...options.accessPoint,
    },
    status: { lifeCycleState: "available" },
  });
  const enforced: EnforcedMountOptions[] = [];
  const engine = new MountEngine({
    store,
    backingRoot,
    client: { region: "us-east-1", accountId: "000000000000", principalArn: "arn:aws:iam::000000000000:role/moor" },
    enforced: { mount: async (opts) => (enforced.push(opts), { unmount: async () => {} }) },
  });
  engines.push(engine);
  return { engine, backingRoot, enforced };
}

describe("mount engine", () => {
  it("bind-mounts a file system root when nothing needs enforcing, and unmounts it", async () => {
    const { engine, backingRoot } = setUp();
    writeFileSync(join(backingRoot, fsId, "index.html"), "hello");
    const mountPoint = join(work, "bind");
    const mount = await engine.mount({ target: `efs:${fsId}`, zone: "us-east-1a", mountPoint });
    assert.equal(mount.kind, "bind");
    assert.equal(readFileSync(join(mountPoint, "index.html"), "utf8"), "hello");
    await engine.unmount(mountPoint);
    assert.throws(() => readFileSync(join(mountPoint, "index.html")), { code: "ENOENT" });
  });

  it("leaves a read-only placeholder under a volume, so writes fail rather than land on the host when it is gone", async () => {
    const { engine } = setUp();
    const mountPoint = join(work, "guarded");
    await engine.mount({ target: fsId, zone: "us-east-1a", mountPoint });
    const { execFileSync } = await import("node:child_process");
    execFileSync("umount", [mountPoint]); // The volume vanishes, as when its daemon is gone.
    assert.throws(() => writeFileSync(join(mountPoint, "lost.txt"), "x"), { code: "EROFS" });
    await engine.mount({ target: fsId, zone: "us-east-1a", mountPoint: join(work, "other") });
    await engine.unmountAll();
    const mounted = readMountsSync().map((entry) => entry.mountPoint);
    assert.ok(!mounted.includes(mountPoint) && !mounted.includes(join(work, "other")), "unmountAll leaves nothing mounted");
  });

  it("creates an access point's root directory from CreationInfo and enforces its identity", async () => {
    const { engine, backingRoot, enforced } = setUp();
    const mount = await engine.mount({ target: `${fsId}::${apId}`, zone: "us-east-1a", tls: true, mountPoint: join(work, "ap") });
    assert.equal(mount.kind, "fuse");
    for (const path of ["data", "data/app"]) {
      const stat = statSync(join(backingRoot, fsId, path));
      assert.equal(stat.uid, 1000);
      assert.equal(stat.mode & 0o777, 0o750);
    }
    assert.equal(enforced[0]!.source, join(backingRoot, fsId, "data/app"));
    assert.equal(enforced[0]!.within, join(backingRoot, fsId), "the daemon opens the source beneath the file system's root");
    assert.deepEqual(enforced[0]!.identity, { uid: 1000, gid: 1000, secondaryGids: [] });
  });

  it("refuses an access point whose root leads through a link planted in the file system, and creates nothing (issue 16)", async () => {
    const { engine, enforced } = setUp({
      accessPoint: { rootDirectory: { path: "/esc/x", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" } } },
    });
    const host = mkdtempSync(join(work, "host-"));
    // Planted through a mount of the whole file system, as a user with root access would.
    const whole = await engine.mount({ target: fsId, zone: "us-east-1a", mountPoint: join(work, "whole") });
    symlinkSync(host, join(whole.mountPoint, "esc"));
    await assert.rejects(engine.mount({ target: `${fsId}::${apId}`, zone: "us-east-1a", tls: true, mountPoint: join(work, "escaped") }), {
      category: "Forbidden",
      message: 'Cannot mount "' + fsId + '::' + apId + '": "/esc/x" leads outside the file system or through a symbolic link in it',
    });
    assert.deepEqual(readdirSync(host), [], "nothing was created in the host directory");
    assert.equal(existsSync(join(host, "x")), false);
    assert.equal(enforced.length, 0);
  });

  it("refuses a zone with no mount target, naming the zone and the file system", async () => {
    const { engine } = setUp({ mountTargetZone: "us-east-1b" });
    await assert.rejects(engine.mount({ target: fsId, zone: "us-east-1a", mountPoint: join(work, "nozone") }), {
      category: "Unavailable",
      message: `Cannot mount "${fsId}": Failed to resolve "us-east-1a.${fsId}.efs.us-east-1.amazonaws.com" - file system "${fsId}" has no available mount target in availability zone "us-east-1a"; create one with aws efs create-mount-target`,
    });
  });

  it("refuses an access point whose missing root directory has no CreationInfo", async () => {
    const { engine } = setUp({ accessPoint: { rootDirectory: { path: "/absent" } } });
    await assert.rejects(engine.mount({ target: `${fsId}::${apId}`, zone: "us-east-1a", tls: true, mountPoint: join(work, "absent") }), {
      category: "NotFound",
      message: /root directory "\/absent" of access point "fsap-0123456789abcdef0" does not exist and the access point has no CreationInfo/,
    });
  });

  it("needs tls with an access point, as efs-utils does", async () => {
    const { engine } = setUp();
    await assert.rejects(engine.mount({ target: `${fsId}::${apId}`, zone: "us-east-1a", mountPoint: join(work, "notls") }), {
      message: /the "tls" option is required when mounting via "accesspoint"/,
    });
  });

  it("applies the file-system policy: no ClientMount refuses, no ClientWrite is read-only, no ClientRootAccess squashes", async () => {
    const allow = (actions: string[]) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: actions.map((a) => `elasticfilesystem:${a}`), Resource: "*" }] });
    const denied = setUp({ policy: allow(["ClientWrite"]) });
    await assert.rejects(denied.engine.mount({ target: fsId, zone: "us-east-1a", mountPoint: join(work, "denied") }), { category: "Forbidden", message: /access denied by server/ });
    const readOnly = setUp({ policy: allow(["ClientMount", "ClientRootAccess"]) });
    const mount = await readOnly.engine.mount({ target: fsId, zone: "us-east-1a", mountPoint: join(work, "ro") });
    assert.equal(mount.kind, "bind");
    assert.throws(() => writeFileSync(join(work, "ro", "x"), "x"), { code: "EROFS" });
    await readOnly.engine.unmount(join(work, "ro"));
    const squashed = setUp({ policy: allow(["ClientMount", "ClientWrite"]) });
    const fuse = await squashed.engine.mount({ target: fsId, zone: "us-east-1a", mountPoint: join(work, "squash") });
    assert.equal(fuse.kind, "fuse");
    assert.equal(squashed.enforced[0]!.squashRoot, true);
  });

  it("keeps a sub-path symlink from leading outside the file system", async () => {
    const { engine, backingRoot } = setUp();
    const { symlinkSync } = await import("node:fs");
    symlinkSync("/etc", join(backingRoot, fsId, "escape"));
    await assert.rejects(engine.mount({ target: `${fsId}:/escape`, zone: "us-east-1a", mountPoint: join(work, "escape") }), { category: "Forbidden", message: /leads outside the file system/ });
  });
});
