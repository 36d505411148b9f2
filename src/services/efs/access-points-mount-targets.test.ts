// The EFS service's access-point and mount-target rules over the in-memory store, called with
// typed input, no controller running.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { accessPointKind, fileSystemKind, mountTargetKind } from "../../domain/efs/mod.js";
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

function availableFileSystem(token: string): string {
  const { FileSystemId } = efs.createFileSystem({ CreationToken: token });
  const object = store.get({ kind: fileSystemKind, name: FileSystemId })!;
  store.update({ ...object, status: { ...object.status, lifeCycleState: "available" } });
  return FileSystemId;
}

describe("the EFS service's access points", () => {
  it("createAccessPoint() refuses a file system that is still creating", () => {
    const { FileSystemId } = efs.createFileSystem({ CreationToken: "new" });
    const refused = refusal(() => efs.createAccessPoint({ ClientToken: "t", FileSystemId }));
    assert.equal(refused.code, "IncorrectFileSystemLifeCycleState");
    assert.equal(store.list(accessPointKind).items.length, 0);
  });

  it("createAccessPoint() with a used client token is AccessPointAlreadyExists carrying the existing id", () => {
    const FileSystemId = availableFileSystem("fs");
    const made = efs.createAccessPoint({ ClientToken: "claim-1", FileSystemId, PosixUser: { Uid: 1000, Gid: 1000 }, RootDirectory: { Path: "/data" } });
    assert.deepEqual([made.RootDirectory.Path, made.PosixUser?.Gid, made.LifeCycleState], ["/data", 1000, "creating"]);
    const again = refusal(() => efs.createAccessPoint({ ClientToken: "claim-1", FileSystemId }));
    assert.equal(again.code, "AccessPointAlreadyExists");
    assert.deepEqual(again.details, { AccessPointId: made.AccessPointId });
  });

  it("describeAccessPoints() pages a file system's access points by NextToken", () => {
    const FileSystemId = availableFileSystem("fs");
    const ids = ["a", "b", "c"].map((token) => efs.createAccessPoint({ ClientToken: token, FileSystemId }).AccessPointId).sort();
    const first = efs.describeAccessPoints({ FileSystemId, MaxResults: 2 });
    assert.deepEqual(first.AccessPoints.map((point) => point.AccessPointId), ids.slice(0, 2));
    const second = efs.describeAccessPoints({ FileSystemId, MaxResults: 2, NextToken: first.NextToken });
    assert.deepEqual(second.AccessPoints.map((point) => point.AccessPointId), ids.slice(2));
  });

  it("deleteAccessPoint() removes the object; a missing one is AccessPointNotFound", () => {
    const FileSystemId = availableFileSystem("fs");
    const { AccessPointId } = efs.createAccessPoint({ ClientToken: "t", FileSystemId });
    efs.deleteAccessPoint({ AccessPointId });
    assert.equal(store.get({ kind: accessPointKind, name: AccessPointId }), undefined);
    const missing = refusal(() => efs.deleteAccessPoint({ AccessPointId }));
    assert.deepEqual([missing.code, missing.message], ["AccessPointNotFound", `Cannot delete access point: access point "${AccessPointId}" does not exist`]);
  });
});

describe("the EFS service's mount targets", () => {
  it("createMountTarget() allows one mount target per zone (MountTargetConflict)", () => {
    const FileSystemId = availableFileSystem("fs");
    const first = efs.createMountTarget({ FileSystemId, SubnetId: subnets[0]!.subnetId });
    assert.equal(first.AvailabilityZoneName, subnets[0]!.availabilityZone);
    const second = refusal(() => efs.createMountTarget({ FileSystemId, SubnetId: subnets[0]!.subnetId }));
    assert.equal(second.code, "MountTargetConflict");
    assert.equal(store.list(mountTargetKind).items.length, 1);
  });

  it("createMountTarget() refuses a subnet outside the VPC (SubnetNotFound) and IPv6 (BadRequest)", () => {
    const FileSystemId = availableFileSystem("fs");
    assert.equal(refusal(() => efs.createMountTarget({ FileSystemId, SubnetId: "subnet-0000000000000000f" })).code, "SubnetNotFound");
    assert.equal(refusal(() => efs.createMountTarget({ FileSystemId, SubnetId: subnets[0]!.subnetId, IpAddressType: "IPV6_ONLY" })).code, "BadRequest");
  });

  it("deleteMountTarget() removes it at once, after which the file system may be deleted", () => {
    const FileSystemId = availableFileSystem("fs");
    const { MountTargetId } = efs.createMountTarget({ FileSystemId, SubnetId: subnets[1]!.subnetId });
    assert.equal(refusal(() => efs.deleteFileSystem({ FileSystemId })).code, "FileSystemInUse");
    efs.deleteMountTarget({ MountTargetId });
    assert.equal(refusal(() => efs.deleteMountTarget({ MountTargetId })).code, "MountTargetNotFound");
    efs.deleteFileSystem({ FileSystemId });
    assert.equal(efs.describeFileSystems({ FileSystemId }).FileSystems[0]!.LifeCycleState, "deleting");
  });
});
