// The provisioner's access-point port over the EFS service in process (no HTTP): client-token
// reuse, GIDs in use, deletion of a missing access point, and directory removal that never
// touches a file system's root.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileSystemKind } from "../../domain/efs/mod.js";
import { createEfsService, type EfsService } from "../../services/efs/mod.js";
import { createMemoryStore } from "../../store/mod.js";
import { createEfsAccessPoints } from "./_efs-client.js";

const backingRoot = mkdtempSync(join(tmpdir(), "moor-efs-client-"));
const store = createMemoryStore();
let efs: EfsService;
let fileSystemId: string;

before(async () => {
  efs = createEfsService({ store, region: "us-east-1", accountId: "123456789012" });
  await efs.start();
  fileSystemId = efs.createFileSystem({ CreationToken: "claims" }).FileSystemId;
  const object = store.get({ kind: fileSystemKind, name: fileSystemId })!;
  store.update({ ...object, status: { ...object.status, lifeCycleState: "available" } });
});
after(async () => {
  await efs.stop();
  rmSync(backingRoot, { recursive: true, force: true });
});

const request = (clientToken: string, gid: number) => ({
  fileSystemId: "",
  clientToken,
  posixUser: { uid: gid, gid },
  rootDirectory: { path: `/dynamic/${clientToken}`, creationInfo: { ownerUid: gid, ownerGid: gid, permissions: "700" } },
  tags: [{ key: "kubernetes.io/cluster", value: "moor" }],
});

describe("the in-process access-point port", () => {
  it("create() with a client token already used returns that access point", async () => {
    const port = createEfsAccessPoints(efs, backingRoot);
    const first = await port.create({ ...request("pvc-1", 50000), fileSystemId });
    const again = await port.create({ ...request("pvc-1", 50001), fileSystemId });
    assert.equal(again.accessPointId, first.accessPointId);
    assert.deepEqual(again.posixUser, { uid: 50000, gid: 50000 });
    assert.equal(again.rootPath, "/dynamic/pvc-1");
  });

  it("usedGids() lists every access point's GID; describe() and delete() treat a missing one as gone", async () => {
    const port = createEfsAccessPoints(efs, backingRoot);
    const made = await port.create({ ...request("pvc-2", 50002), fileSystemId });
    assert.deepEqual((await port.usedGids(fileSystemId)).sort(), [50000, 50002]);
    assert.deepEqual(await port.describe(made.accessPointId), { fileSystemId, rootPath: "/dynamic/pvc-2" });
    await port.delete(made.accessPointId);
    await port.delete(made.accessPointId);
    assert.equal(await port.describe(made.accessPointId), undefined);
  });

  it("create() passes the service's refusal on, such as a missing file system", async () => {
    const port = createEfsAccessPoints(efs, backingRoot);
    await assert.rejects(port.create({ ...request("pvc-3", 50003), fileSystemId: "fs-0123456789abcdef0" }), { code: "FileSystemNotFound" });
  });

  it("removeDirectory() removes an access point's directory but never the root or outside it", async () => {
    const port = createEfsAccessPoints(efs, backingRoot);
    const directory = join(backingRoot, fileSystemId, "dynamic", "pvc-1");
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, "file"), "x");
    await port.removeDirectory(fileSystemId, "/dynamic/pvc-1");
    assert.equal(existsSync(directory), false);
    assert.ok(existsSync(join(backingRoot, fileSystemId, "dynamic")));
    await assert.rejects(port.removeDirectory(fileSystemId, "/"), /it is the root or outside it/);
    await assert.rejects(port.removeDirectory(fileSystemId, "/../.."), /it is the root or outside it/);
    assert.ok(existsSync(join(backingRoot, fileSystemId)));
  });
});
