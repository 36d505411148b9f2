import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { accessPointKind, efsApiVersion, fileSystemKind, mountTargetKind } from "../../domain/efs/mod.js";
import { createFileSystemEngine, type FileSystemEngine } from "../../engines/filesystems/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { FileSystemController } from "./mod.js";

const root = mkdtempSync(join(tmpdir(), "moor-fs-controller-"));
after(() => rmSync(root, { recursive: true, force: true }));

function fileSystem(name: string): StoredObject {
  return {
    apiVersion: efsApiVersion,
    kind: fileSystemKind,
    metadata: { name },
    spec: { creationToken: name, tags: [] },
    status: { lifeCycleState: "creating", sizeInBytes: { value: 0, valueInStandard: 0, valueInIA: 0, valueInArchive: 0 }, numberOfMountTargets: 0 },
  };
}

function dependent(kind: string, name: string, fileSystemId: string): StoredObject {
  return { apiVersion: efsApiVersion, kind, metadata: { name }, spec: { fileSystemId }, status: { lifeCycleState: "creating" } };
}

async function withController(run: (parts: { store: Store; controller: FileSystemController; engine: FileSystemEngine }) => Promise<void>): Promise<void> {
  const store = createMemoryStore();
  const engine = createFileSystemEngine({ backingRoot: root, meter: { passIntervalMs: 60_000 } });
  const controller = new FileSystemController({ store, engine, clock: new FakeClock() });
  await controller.start();
  try {
    await run({ store, controller, engine });
  } finally {
    await controller.stop();
  }
}

describe("FileSystemController", () => {
  it("makes a created file system's directory and marks it, its access points and mount targets available", () =>
    withController(async ({ store, controller }) => {
    store.create(fileSystem("fs-00000000000000011"));
    store.create(dependent(accessPointKind, "fsap-00000000000000011", "fs-00000000000000011"));
    store.create(dependent(mountTargetKind, "fsmt-00000000000000011", "fs-00000000000000011"));
    await controller.idle();
    assert.ok(existsSync(join(root, "fs-00000000000000011")));
    const stored = store.get({ kind: fileSystemKind, name: "fs-00000000000000011" })!;
    assert.equal(stored.status.lifeCycleState, "available");
    assert.equal(stored.status.numberOfMountTargets, 1);
    assert.equal(store.get({ kind: accessPointKind, name: "fsap-00000000000000011" })!.status.lifeCycleState, "available");
    assert.equal(store.get({ kind: mountTargetKind, name: "fsmt-00000000000000011" })!.status.lifeCycleState, "available");
    }));

  it("finishes a deletion: the directory, the access points, then the object go", () =>
    withController(async ({ store, controller }) => {
    store.create(fileSystem("fs-00000000000000012"));
    store.create(dependent(accessPointKind, "fsap-00000000000000012", "fs-00000000000000012"));
    await controller.idle();
    writeFileSync(join(root, "fs-00000000000000012", "data"), "x");
    const current = store.get({ kind: fileSystemKind, name: "fs-00000000000000012" })!;
    store.update({ ...current, status: { ...current.status, lifeCycleState: "deleting" } });
    await controller.idle();
    assert.equal(existsSync(join(root, "fs-00000000000000012")), false);
    assert.equal(store.get({ kind: accessPointKind, name: "fsap-00000000000000012" }), undefined);
    assert.equal(store.get({ kind: fileSystemKind, name: "fs-00000000000000012" }), undefined);
    }));

  it("cleans up after a file system deleted behind the API's back", () =>
    withController(async ({ store, controller }) => {
    store.create(fileSystem("fs-00000000000000013"));
    store.create(dependent(mountTargetKind, "fsmt-00000000000000013", "fs-00000000000000013"));
    await controller.idle();
    store.delete({ kind: fileSystemKind, name: "fs-00000000000000013" });
    await controller.idle();
    assert.equal(existsSync(join(root, "fs-00000000000000013")), false);
    assert.equal(store.get({ kind: mountTargetKind, name: "fsmt-00000000000000013" }), undefined);
    }));

  it("publishes the metered size to the file system's status", () =>
    withController(async ({ store, controller, engine }) => {
    store.create(fileSystem("fs-00000000000000014"));
    await controller.idle();
    writeFileSync(join(root, "fs-00000000000000014", "data"), Buffer.alloc(10_000));
    await engine.meter.measure("fs-00000000000000014");
    controller.publishSizes();
    const size = store.get({ kind: fileSystemKind, name: "fs-00000000000000014" })!.status.sizeInBytes;
    assert.equal(size.value, 4096 + 12288);
    assert.equal(size.valueInStandard, size.value);
    assert.match(size.timestamp, /^\d{4}-\d\d-\d\dT/);
    }));
});
