// The EFS service's file-system rules over the in-memory store, called with typed input as every
// front end calls them (no HTTP), and no controller running: objects stay as the service left
// them unless a test moves them on.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileSystemKind } from "../../domain/efs/mod.js";
import { embeddedVpc } from "../../domain/network/mod.js";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEfsService, type EfsService } from "./mod.js";

const region = "us-east-1";
const subnets = embeddedVpc(region).subnets;
let store: Store;
let efs: EfsService;

beforeEach(async () => {
  store = createMemoryStore();
  let counter = 0;
  efs = createEfsService({ store, region, accountId: "123456789012", randomHex: () => (++counter).toString(16).padStart(16, "0") });
  await efs.start();
});
afterEach(async () => {
  await efs.stop();
});

function refusal(call: () => unknown): MoorError {
  try {
    call();
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail("expected a refusal");
}

/** What the file-system controller does once the data directory exists. */
function makeAvailable(fileSystemId: string): void {
  const object = store.get({ kind: fileSystemKind, name: fileSystemId })!;
  store.update({ ...object, status: { ...object.status, lifeCycleState: "available" } });
}

describe("the EFS service's file systems", () => {
  it("createFileSystem() answers a creating FileSystemDescription and refuses a used creation token with its id", () => {
    const created = efs.createFileSystem({ CreationToken: "one", Tags: [{ Key: "Name", Value: "shared" }] });
    assert.equal(created.LifeCycleState, "creating");
    assert.equal(created.Name, "shared");
    assert.match(created.FileSystemId, /^fs-0{16}1$/);
    const again = refusal(() => efs.createFileSystem({ CreationToken: "one" }));
    assert.equal(again.code, "FileSystemAlreadyExists");
    assert.deepEqual(again.details, { FileSystemId: created.FileSystemId });
  });

  it("checks typed input against the model's shapes, as the wire's input is checked", () => {
    const empty = refusal(() => efs.createFileSystem({ CreationToken: "" }));
    assert.equal(empty.code, "BadRequest");
    assert.match(empty.message, /^Cannot create file system: CreationToken "" is shorter than 1 characters$/);
    const text = refusal(() => efs.describeFileSystems({ MaxItems: "ten" as unknown as number }));
    assert.equal(text.message, 'Cannot describe file systems: MaxItems "ten" is not a whole number');
    const zero = refusal(() => efs.describeFileSystems({ MaxItems: 0 }));
    assert.match(zero.message, /MaxItems 0 is less than 1/);
  });

  it("deleteFileSystem() refuses with FileSystemInUse while mount targets exist and changes nothing", () => {
    const { FileSystemId } = efs.createFileSystem({ CreationToken: "busy" });
    makeAvailable(FileSystemId);
    const targets = subnets.map((subnet) => efs.createMountTarget({ FileSystemId, SubnetId: subnet.subnetId }).MountTargetId);
    const before = store.get({ kind: fileSystemKind, name: FileSystemId });
    const refused = refusal(() => efs.deleteFileSystem({ FileSystemId }));
    assert.equal(refused.code, "FileSystemInUse");
    assert.equal(refused.category, "Conflict");
    assert.equal(refused.message, `Cannot delete file system: file system "${FileSystemId}" has 3 mount target(s) (${targets.map((id) => `"${id}"`).join(", ")}); delete them first`);
    assert.deepEqual(store.get({ kind: fileSystemKind, name: FileSystemId }), before);
  });

  it("deleteFileSystem() marks a file system without mount targets deleting, once, by id or ARN", () => {
    const { FileSystemId, FileSystemArn } = efs.createFileSystem({ CreationToken: "going" });
    efs.deleteFileSystem({ FileSystemId: FileSystemArn });
    assert.equal(efs.describeFileSystems({ FileSystemId }).FileSystems[0]!.LifeCycleState, "deleting");
    const revision = store.get({ kind: fileSystemKind, name: FileSystemId })!.metadata.resourceVersion;
    efs.deleteFileSystem({ FileSystemId });
    assert.equal(store.get({ kind: fileSystemKind, name: FileSystemId })!.metadata.resourceVersion, revision, "a second delete writes nothing");
  });

  it("deleteFileSystem() of a missing file system is FileSystemNotFound naming it", () => {
    const missing = refusal(() => efs.deleteFileSystem({ FileSystemId: "fs-0123456789abcdef0" }));
    assert.deepEqual([missing.code, missing.category, missing.message], ["FileSystemNotFound", "NotFound", 'Cannot delete file system: file system "fs-0123456789abcdef0" does not exist']);
  });

  it("describeFileSystems() pages by Marker and finds one by creation token", () => {
    const ids = ["a", "b", "c"].map((token) => efs.createFileSystem({ CreationToken: token }).FileSystemId);
    const first = efs.describeFileSystems({ MaxItems: 2 });
    assert.deepEqual(first.FileSystems.map((fs) => fs.FileSystemId), ids.slice(0, 2));
    const second = efs.describeFileSystems({ MaxItems: 2, Marker: first.NextMarker });
    assert.deepEqual(second.FileSystems.map((fs) => fs.FileSystemId), ids.slice(2));
    assert.equal(second.NextMarker, undefined);
    assert.equal(efs.describeFileSystems({ CreationToken: "b" }).FileSystems[0]!.FileSystemId, ids[1]);
  });
});
