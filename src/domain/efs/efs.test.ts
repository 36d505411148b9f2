import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isMoorError } from "../../errors/mod.js";
import { embeddedVpc } from "../network/mod.js";
import {
  accessPointArn,
  checkPlacement,
  checkRootDirectoryPath,
  checkShape,
  fileSystemArn,
  lifecyclePoliciesFrom,
  mergeTags,
  mountTargetAddress,
  mountTargetSecurityGroups,
  newAccessPointSpec,
  newFileSystemId,
  newFileSystemSpec,
  parseAccessPointId,
  parseFileSystemId,
  parseResourceId,
  posixUserShape,
  tagsFromWire,
  tagsShape,
  updatedThroughput,
} from "./mod.js";

const action = "Cannot test";
const context = { region: "us-east-1", accountId: "123456789012", zones: [{ name: "us-east-1a", id: "use1-az1" }] };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isMoorError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe("EFS ids and ARNs", () => {
  it("newFileSystemId() makes fs- and 17 hex digits starting with 0", () => {
    assert.equal(newFileSystemId("0123456789abcdef"), "fs-00123456789abcdef");
    assert.throws(() => newFileSystemId("xyz"));
  });

  it("parseFileSystemId() accepts an id or a file-system ARN and nothing else", () => {
    const arn = fileSystemArn("us-east-1", "123456789012", "fs-0123456789abcdef0");
    assert.equal(parseFileSystemId("fs-0123456789abcdef0"), "fs-0123456789abcdef0");
    assert.equal(parseFileSystemId(arn), "fs-0123456789abcdef0");
    assert.equal(parseFileSystemId("fs-XYZ"), undefined);
    assert.equal(parseFileSystemId(accessPointArn("us-east-1", "123456789012", "fsap-0123456789abcdef0")), undefined);
    assert.equal(parseAccessPointId(accessPointArn("us-east-1", "123456789012", "fsap-0123456789abcdef0")), "fsap-0123456789abcdef0");
  });

  it("parseResourceId() tells file systems from access points", () => {
    assert.deepEqual(parseResourceId("fsap-0123456789abcdef0"), { kind: "AccessPoint", id: "fsap-0123456789abcdef0" });
    assert.deepEqual(parseResourceId("fs-0123456789abcdef0"), { kind: "FileSystem", id: "fs-0123456789abcdef0" });
    assert.equal(parseResourceId("fsmt-0123456789abcdef0"), undefined);
  });
});

describe("checkShape()", () => {
  it("names the member path of a violation in a BadRequest", () => {
    assert.throws(
      () => checkShape(tagsShape, [{ Key: "ok", Value: "v" }, { Key: "aws:reserved", Value: "v" }], "Tags", action),
      (error: Error) => isMoorError(error) && error.code === "BadRequest" && error.message.startsWith("Cannot test: Tags[1].Key \"aws:reserved\" does not match"),
    );
  });

  it("refuses wrong types, missing members and out-of-range numbers", () => {
    assert.equal(code(() => checkShape(posixUserShape, { Uid: "1000", Gid: 1 }, "PosixUser", action)), "BadRequest");
    assert.equal(code(() => checkShape(posixUserShape, { Uid: 1 }, "PosixUser", action)), "BadRequest");
    assert.equal(code(() => checkShape(posixUserShape, { Uid: 4294967296, Gid: 1 }, "PosixUser", action)), "BadRequest");
    assert.equal(code(() => checkShape(posixUserShape, { Uid: 1.5, Gid: 1 }, "PosixUser", action)), "BadRequest");
    assert.equal(code(() => checkShape(posixUserShape, { Uid: 1, Gid: 1, SecondaryGids: Array(17).fill(1) }, "PosixUser", action)), "BadRequest");
    assert.equal(code(() => checkShape(posixUserShape, { Uid: 0, Gid: 4294967295, Extra: "ignored" }, "PosixUser", action)), undefined);
  });

  it("accepts tag keys and values with letters of any script, spaces and the allowed signs", () => {
    assert.equal(code(() => checkShape(tagsShape, [{ Key: "Équipe données", Value: "a_b.c:d/e=f+g-h@i" }], "Tags", action)), undefined);
    assert.equal(code(() => checkShape(tagsShape, [{ Key: "bad!", Value: "" }], "Tags", action)), "BadRequest");
  });
});

describe("file-system rules", () => {
  it("newFileSystemSpec() defaults to generalPurpose, bursting, unencrypted, no backup", () => {
    const { spec } = newFileSystemSpec({ CreationToken: "t" }, context, action);
    assert.equal(spec.performanceMode, "generalPurpose");
    assert.equal(spec.throughputMode, "bursting");
    assert.equal(spec.encrypted, false);
    assert.equal(spec.backup, false);
    assert.equal(spec.backupPolicy, undefined);
  });

  it("newFileSystemSpec() gives an encrypted file system the account's default key ARN", () => {
    const { spec } = newFileSystemSpec({ CreationToken: "t", Encrypted: true }, context, action);
    assert.match(spec.kmsKeyId!, /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", KmsKeyId: "alias/x" }, context, action)), "BadRequest");
  });

  it("newFileSystemSpec() enforces the provisioned-throughput rules", () => {
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", ThroughputMode: "provisioned" }, context, action)), "BadRequest");
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", ProvisionedThroughputInMibps: 5 }, context, action)), "BadRequest");
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 5000 }, context, action)), "ThroughputLimitExceeded");
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", PerformanceMode: "maxIO", ThroughputMode: "elastic" }, context, action)), "BadRequest");
  });

  it("newFileSystemSpec() places One Zone file systems in a known zone, with backups on", () => {
    const { spec, availabilityZoneId } = newFileSystemSpec({ CreationToken: "t", AvailabilityZoneName: "us-east-1a" }, context, action);
    assert.equal(availabilityZoneId, "use1-az1");
    assert.equal(spec.backup, true);
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", AvailabilityZoneName: "mars-1a" }, context, action)), "UnsupportedAvailabilityZone");
    assert.equal(code(() => newFileSystemSpec({ CreationToken: "t", AvailabilityZoneName: "us-east-1a", PerformanceMode: "maxIO" }, context, action)), "BadRequest");
  });

  it("updatedThroughput() keeps the provisioned value unless the mode leaves provisioned", () => {
    const { spec } = newFileSystemSpec({ CreationToken: "t", ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 10 }, context, action);
    assert.equal(updatedThroughput(spec, {}, action).provisionedThroughputInMibps, 10);
    assert.equal(updatedThroughput(spec, { ProvisionedThroughputInMibps: 20 }, action).provisionedThroughputInMibps, 20);
    const elastic = updatedThroughput(spec, { ThroughputMode: "elastic" }, action);
    assert.equal(elastic.provisionedThroughputInMibps, undefined);
    assert.equal(code(() => updatedThroughput(elastic, { ThroughputMode: "provisioned" }, action)), "BadRequest");
  });

  it("lifecyclePoliciesFrom() wants one transition per object and Archive after IA on elastic", () => {
    const { spec } = newFileSystemSpec({ CreationToken: "t", ThroughputMode: "elastic" }, context, action);
    assert.deepEqual(lifecyclePoliciesFrom([{ TransitionToIA: "AFTER_30_DAYS" }, { TransitionToArchive: "AFTER_90_DAYS" }], spec, action), [
      { transitionToIA: "AFTER_30_DAYS" },
      { transitionToArchive: "AFTER_90_DAYS" },
    ]);
    assert.equal(code(() => lifecyclePoliciesFrom([{ TransitionToIA: "AFTER_30_DAYS", TransitionToArchive: "AFTER_90_DAYS" }], spec, action)), "BadRequest");
    assert.equal(code(() => lifecyclePoliciesFrom([{ TransitionToIA: "AFTER_90_DAYS" }, { TransitionToArchive: "AFTER_30_DAYS" }], spec, action)), "BadRequest");
    const bursting = newFileSystemSpec({ CreationToken: "t" }, context, action).spec;
    assert.equal(code(() => lifecyclePoliciesFrom([{ TransitionToArchive: "AFTER_90_DAYS" }], bursting, action)), "BadRequest");
  });
});

describe("tag rules", () => {
  it("mergeTags() replaces values by key and stops at 50 tags", () => {
    const tags = mergeTags([{ key: "a", value: "1" }], [{ key: "a", value: "2" }, { key: "b", value: "3" }], action);
    assert.deepEqual(tags, [{ key: "a", value: "2" }, { key: "b", value: "3" }]);
    const many = Array.from({ length: 50 }, (_, index) => ({ key: `k${index}`, value: "" }));
    assert.equal(code(() => mergeTags(many, [{ key: "one-more", value: "" }], action)), "BadRequest");
    assert.equal(code(() => tagsFromWire([{ Key: "a", Value: "1" }, { Key: "a", Value: "2" }], action)), "BadRequest");
  });
});

describe("access-point rules", () => {
  it("checkRootDirectoryPath() takes / or one to four components without dots or metacharacters", () => {
    for (const path of ["/", "/data", "/a/b/c/d", "/a..b", "/with space"]) assert.equal(code(() => checkRootDirectoryPath(path, action)), undefined, path);
    for (const path of ["data", "/a/b/c/d/e", "/a//b", "/a/", "/.hidden", "/a/$x", "/a;b", "/a*"]) assert.equal(code(() => checkRootDirectoryPath(path, action)), "BadRequest", path);
  });

  it("newAccessPointSpec() roots at / by default and keeps the creation info", () => {
    const spec = newAccessPointSpec({ ClientToken: "c", FileSystemId: "fs-0123456789abcdef0" }, "fs-0123456789abcdef0", action);
    assert.deepEqual(spec.rootDirectory, { path: "/" });
    const full = newAccessPointSpec(
      { ClientToken: "c", FileSystemId: "x", PosixUser: { Uid: 1000, Gid: 1000 }, RootDirectory: { Path: "/data", CreationInfo: { OwnerUid: 1, OwnerGid: 2, Permissions: "0750" } } },
      "fs-0123456789abcdef0",
      action,
    );
    assert.deepEqual(full.posixUser, { uid: 1000, gid: 1000, secondaryGids: [] });
    assert.deepEqual(full.rootDirectory, { path: "/data", creationInfo: { ownerUid: 1, ownerGid: 2, permissions: "0750" } });
  });
});

describe("mount-target rules", () => {
  const vpc = embeddedVpc("us-east-1");
  const [a, b] = vpc.subnets;
  const bursting = newFileSystemSpec({ CreationToken: "t" }, context, action).spec;
  const oneZone = newFileSystemSpec({ CreationToken: "t", AvailabilityZoneName: "us-east-1a" }, context, action).spec;

  it("checkPlacement() allows one mount target per zone", () => {
    const existing = [{ mountTargetId: "fsmt-1", subnetId: a!.subnetId, availabilityZoneName: a!.availabilityZone }];
    assert.equal(code(() => checkPlacement(bursting, "fs-1", b!, existing, action)), undefined);
    assert.equal(code(() => checkPlacement(bursting, "fs-1", a!, existing, action)), "MountTargetConflict");
  });

  it("checkPlacement() keeps a One Zone file system's single mount target in its zone", () => {
    assert.equal(code(() => checkPlacement(oneZone, "fs-1", a!, [], action)), undefined);
    assert.equal(code(() => checkPlacement(oneZone, "fs-1", b!, [], action)), "AvailabilityZonesMismatch");
  });

  it("mountTargetAddress() hands out addresses from the top of the subnet and checks requested ones", () => {
    assert.equal(mountTargetAddress(a!, undefined, new Set(), action), "10.42.15.254");
    assert.equal(mountTargetAddress(a!, undefined, new Set(["10.42.15.254"]), action), "10.42.15.253");
    assert.equal(mountTargetAddress(a!, "10.42.0.10", new Set(), action), "10.42.0.10");
    assert.equal(code(() => mountTargetAddress(a!, "10.42.0.10", new Set(["10.42.0.10"]), action)), "IpAddressInUse");
    assert.equal(code(() => mountTargetAddress(a!, "10.42.0.010", new Set(["10.42.0.10"]), action)), "IpAddressInUse");
    assert.equal(code(() => mountTargetAddress(a!, "10.42.16.10", new Set(), action)), "BadRequest");
    assert.equal(code(() => mountTargetAddress(a!, "10.42.0.999", new Set(), action)), "BadRequest");
  });

  it("mountTargetSecurityGroups() defaults to the VPC's group and knows no other", () => {
    assert.deepEqual(mountTargetSecurityGroups(undefined, vpc, action), [vpc.defaultSecurityGroupId]);
    assert.equal(code(() => mountTargetSecurityGroups(["sg-0123456789abcdef0"], vpc, action)), "SecurityGroupNotFound");
    assert.equal(code(() => mountTargetSecurityGroups(["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"], vpc, action)), "SecurityGroupLimitExceeded");
  });
});
