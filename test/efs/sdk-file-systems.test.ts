// File-system operations through @aws-sdk/client-efs: each one's success and its documented
// errors (code, HTTP status, message), against the built Moor.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CreateFileSystemCommand,
  CreateReplicationConfigurationCommand,
  DeleteFileSystemCommand,
  DeleteFileSystemPolicyCommand,
  DeleteReplicationConfigurationCommand,
  DescribeAccountPreferencesCommand,
  DescribeBackupPolicyCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeReplicationConfigurationsCommand,
  type EFSClient,
  paginateDescribeFileSystems,
  PutAccountPreferencesCommand,
  PutBackupPolicyCommand,
  PutFileSystemPolicyCommand,
  PutLifecycleConfigurationCommand,
  UpdateFileSystemCommand,
  UpdateFileSystemProtectionCommand,
} from "@aws-sdk/client-efs";
import type { MoorUnderTest } from "../harness.js";
import { withMoorAndClient, eventually, expectSdkError, waitAvailable } from "./_efs.js";

let moor: MoorUnderTest;
let client: EFSClient;

withMoorAndClient((started, sdk) => {
  moor = started;
  client = sdk;
});

async function newFileSystem(token: string, extra: Partial<ConstructorParameters<typeof CreateFileSystemCommand>[0]> = {}): Promise<string> {
  const created = await client.send(new CreateFileSystemCommand({ CreationToken: token, ...extra }));
  await waitAvailable(client, created.FileSystemId!);
  return created.FileSystemId!;
}

describe("CreateFileSystem", () => {
  it("answers 201 with a creating file system that becomes available", async () => {
    const created = await client.send(new CreateFileSystemCommand({ CreationToken: "sdk-create", Tags: [{ Key: "Name", Value: "first" }] }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.FileSystemId!, /^fs-[0-9a-f]{17}$/);
    assert.equal(created.FileSystemArn, `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${created.FileSystemId}`);
    assert.equal(created.OwnerId, "000000000000");
    assert.equal(created.LifeCycleState, "creating");
    assert.ok(created.CreationTime instanceof Date && Math.abs(created.CreationTime.getTime() - Date.now()) < 60_000);
    assert.equal(created.Name, "first");
    assert.equal(created.NumberOfMountTargets, 0);
    assert.equal(created.SizeInBytes?.Value, 0);
    assert.equal(created.PerformanceMode, "generalPurpose");
    assert.equal(created.ThroughputMode, "bursting");
    assert.equal(created.Encrypted, false);
    assert.deepEqual(created.FileSystemProtection, { ReplicationOverwriteProtection: "ENABLED" });
    await waitAvailable(client, created.FileSystemId!);
    assert.ok(existsSync(join(moor.home, "filesystems", created.FileSystemId!)));
  });

  it("refuses a creation token already used with 409 FileSystemAlreadyExists carrying the id", async () => {
    const first = await client.send(new CreateFileSystemCommand({ CreationToken: "sdk-twice" }));
    const error = await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "sdk-twice" })), "FileSystemAlreadyExists", 409, /sdk-twice/);
    assert.equal(error.error.FileSystemId, first.FileSystemId);
    assert.equal(error.error.ErrorCode, "FileSystemAlreadyExists");
  });

  it("creates provisioned, encrypted and One Zone file systems with AWS's rules", async () => {
    const provisioned = await client.send(
      new CreateFileSystemCommand({ CreationToken: "sdk-prov", ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 128, Encrypted: true, KmsKeyId: "alias/mine" }),
    );
    assert.equal(provisioned.ProvisionedThroughputInMibps, 128);
    assert.equal(provisioned.KmsKeyId, "arn:aws:kms:us-east-1:000000000000:alias/mine");
    const oneZone = await client.send(new CreateFileSystemCommand({ CreationToken: "sdk-onezone", AvailabilityZoneName: "us-east-1b" }));
    assert.equal(oneZone.AvailabilityZoneName, "us-east-1b");
    assert.equal(oneZone.AvailabilityZoneId, "use1-az2");
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "x1", ThroughputMode: "provisioned" })), "BadRequest", 400, /ProvisionedThroughputInMibps is required/);
    await expectSdkError(
      client.send(new CreateFileSystemCommand({ CreationToken: "x2", ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 10_000 })),
      "ThroughputLimitExceeded",
      400,
    );
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "x3", AvailabilityZoneName: "us-west-2a" })), "UnsupportedAvailabilityZone", 400);
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "x4", PerformanceMode: "maxIO", ThroughputMode: "elastic" })), "BadRequest", 400);
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "x5", KmsKeyId: "alias/mine" })), "BadRequest", 400, /Encrypted/);
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "x6", PerformanceMode: "fast" as any })), "BadRequest", 400, /PerformanceMode "fast"/);
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "x".repeat(65) })), "BadRequest", 400, /CreationToken/);
  });
});

describe("DescribeFileSystems", () => {
  it("finds one file system by id, ARN or creation token, and 404s on unknown ones", async () => {
    const id = await newFileSystem("sdk-describe");
    const arn = `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${id}`;
    for (const query of [{ FileSystemId: id }, { FileSystemId: arn }, { CreationToken: "sdk-describe" }]) {
      const { FileSystems } = await client.send(new DescribeFileSystemsCommand(query));
      assert.deepEqual(FileSystems?.map((fs) => fs.FileSystemId), [id]);
    }
    await expectSdkError(client.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-0123456789abcdef0" })), "FileSystemNotFound", 404, /fs-0123456789abcdef0/);
    await expectSdkError(client.send(new DescribeFileSystemsCommand({ CreationToken: "no-such-token" })), "FileSystemNotFound", 404);
    await expectSdkError(client.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-nothex" })), "BadRequest", 400, /FileSystemId "fs-nothex"/);
  });

  it("pages with MaxItems and Marker, every file system once", async () => {
    for (let index = 0; index < 3; index++) await client.send(new CreateFileSystemCommand({ CreationToken: `sdk-page-${index}` }));
    const first = await client.send(new DescribeFileSystemsCommand({ MaxItems: 2 }));
    assert.equal(first.FileSystems?.length, 2);
    assert.ok(first.NextMarker);
    const second = await client.send(new DescribeFileSystemsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    assert.equal(second.Marker, first.NextMarker);
    const seen: string[] = [];
    for await (const page of paginateDescribeFileSystems({ client, pageSize: 2 }, {})) seen.push(...page.FileSystems!.map((fs) => fs.FileSystemId!));
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length >= 5);
    await expectSdkError(client.send(new DescribeFileSystemsCommand({ MaxItems: 0 })), "BadRequest", 400, /MaxItems 0 is less than 1/);
  });
});

describe("UpdateFileSystem", () => {
  it("answers 202 and switches throughput modes with the provisioned rules", async () => {
    const id = await newFileSystem("sdk-update");
    const provisioned = await client.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 }));
    assert.equal(provisioned.$metadata.httpStatusCode, 202);
    assert.equal(provisioned.ThroughputMode, "provisioned");
    assert.equal(provisioned.ProvisionedThroughputInMibps, 64);
    const elastic = await client.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "elastic" }));
    assert.equal(elastic.ProvisionedThroughputInMibps, undefined);
    await expectSdkError(client.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "provisioned" })), "BadRequest", 400);
    await expectSdkError(client.send(new UpdateFileSystemCommand({ FileSystemId: id, ProvisionedThroughputInMibps: 5000, ThroughputMode: "provisioned" })), "ThroughputLimitExceeded", 400);
    await expectSdkError(client.send(new UpdateFileSystemCommand({ FileSystemId: "fs-0123456789abcdef0", ThroughputMode: "elastic" })), "FileSystemNotFound", 404);
  });
});

describe("DeleteFileSystem", () => {
  it("answers 204, and the file system, its token and its data directory go", async () => {
    const id = await newFileSystem("sdk-delete");
    const deleted = await client.send(new DeleteFileSystemCommand({ FileSystemId: id }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await eventually(async () => {
      const error = await client.send(new DescribeFileSystemsCommand({ FileSystemId: id })).then(() => undefined, (e) => e);
      return error?.name === "FileSystemNotFound" ? true : undefined;
    }, "the file system to disappear");
    assert.equal(existsSync(join(moor.home, "filesystems", id)), false);
    await newFileSystem("sdk-delete");
    await expectSdkError(client.send(new DeleteFileSystemCommand({ FileSystemId: id })), "FileSystemNotFound", 404);
  });
});

describe("file system policy", () => {
  const allowMount = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] }],
  });
  const denyAll = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "*" }] });

  it("puts, describes and deletes a policy; PolicyNotFound while the default applies", async () => {
    const id = await newFileSystem("sdk-policy");
    await expectSdkError(client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })), "PolicyNotFound", 404, /default policy/);
    const put = await client.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: allowMount }));
    assert.deepEqual([put.FileSystemId, put.Policy], [id, allowMount]);
    assert.equal((await client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id }))).Policy, allowMount);
    const deleted = await client.send(new DeleteFileSystemPolicyCommand({ FileSystemId: id }));
    assert.equal(deleted.$metadata.httpStatusCode, 200);
    await expectSdkError(client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })), "PolicyNotFound", 404);
  });

  it("refuses malformed and self-locking policies with InvalidPolicyException unless bypassed", async () => {
    const id = await newFileSystem("sdk-policy-bad");
    await expectSdkError(client.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: "{not json" })), "InvalidPolicyException", 400, /not JSON/);
    await expectSdkError(client.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: denyAll })), "InvalidPolicyException", 400, /BypassPolicyLockoutSafetyCheck/);
    const bypassed = await client.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: denyAll, BypassPolicyLockoutSafetyCheck: true }));
    assert.equal(bypassed.Policy, denyAll);
    await expectSdkError(client.send(new PutFileSystemPolicyCommand({ FileSystemId: "fs-0123456789abcdef0", Policy: allowMount })), "FileSystemNotFound", 404);
  });
});

describe("lifecycle, backup and protection settings", () => {
  it("puts and describes lifecycle policies, one transition per object", async () => {
    const id = await newFileSystem("sdk-lifecycle", { ThroughputMode: "elastic" });
    assert.deepEqual((await client.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: id }))).LifecyclePolicies, []);
    const policies = [{ TransitionToIA: "AFTER_30_DAYS" as const }, { TransitionToArchive: "AFTER_90_DAYS" as const }, { TransitionToPrimaryStorageClass: "AFTER_1_ACCESS" as const }];
    assert.deepEqual((await client.send(new PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: policies }))).LifecyclePolicies, policies);
    assert.deepEqual((await client.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: id }))).LifecyclePolicies, policies);
    await expectSdkError(
      client.send(new PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: [{ TransitionToIA: "AFTER_7_DAYS", TransitionToPrimaryStorageClass: "AFTER_1_ACCESS" }] })),
      "BadRequest",
      400,
      /exactly one/,
    );
    await client.send(new PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: [] }));
    assert.deepEqual((await client.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: id }))).LifecyclePolicies, []);
  });

  it("reports no backup policy until one is put", async () => {
    const id = await newFileSystem("sdk-backup");
    await expectSdkError(client.send(new DescribeBackupPolicyCommand({ FileSystemId: id })), "PolicyNotFound", 404);
    assert.deepEqual((await client.send(new PutBackupPolicyCommand({ FileSystemId: id, BackupPolicy: { Status: "ENABLED" } }))).BackupPolicy, { Status: "ENABLED" });
    assert.deepEqual((await client.send(new DescribeBackupPolicyCommand({ FileSystemId: id }))).BackupPolicy, { Status: "ENABLED" });
    await expectSdkError(client.send(new PutBackupPolicyCommand({ FileSystemId: id, BackupPolicy: { Status: "ENABLING" } })), "BadRequest", 400);
    const oneZone = await newFileSystem("sdk-backup-onezone", { AvailabilityZoneName: "us-east-1a" });
    assert.deepEqual((await client.send(new DescribeBackupPolicyCommand({ FileSystemId: oneZone }))).BackupPolicy, { Status: "ENABLED" });
  });

  it("records replication overwrite protection", async () => {
    const id = await newFileSystem("sdk-protection");
    const updated = await client.send(new UpdateFileSystemProtectionCommand({ FileSystemId: id, ReplicationOverwriteProtection: "DISABLED" }));
    assert.equal(updated.ReplicationOverwriteProtection, "DISABLED");
    const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
    assert.deepEqual(FileSystems?.[0]?.FileSystemProtection, { ReplicationOverwriteProtection: "DISABLED" });
    await expectSdkError(client.send(new UpdateFileSystemProtectionCommand({ FileSystemId: id, ReplicationOverwriteProtection: "REPLICATING" })), "BadRequest", 400);
  });
});

describe("operations without a local meaning", () => {
  it("refuses replication by name and reports that none exists", async () => {
    const id = await newFileSystem("sdk-replication");
    await expectSdkError(
      client.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: id, Destinations: [{ Region: "us-west-2" }] })),
      "BadRequest",
      400,
      /replication is not supported by Moor/,
    );
    assert.deepEqual((await client.send(new DescribeReplicationConfigurationsCommand({}))).Replications, []);
    await expectSdkError(client.send(new DescribeReplicationConfigurationsCommand({ FileSystemId: id })), "ReplicationNotFound", 404);
    await expectSdkError(client.send(new DeleteReplicationConfigurationCommand({ SourceFileSystemId: id })), "ReplicationNotFound", 404);
    await expectSdkError(client.send(new DeleteReplicationConfigurationCommand({ SourceFileSystemId: "fs-0123456789abcdef0" })), "FileSystemNotFound", 404);
  });

  it("keeps long ids as the only account preference", async () => {
    const preferences = await client.send(new DescribeAccountPreferencesCommand({}));
    assert.deepEqual(preferences.ResourceIdPreference, { ResourceIdType: "LONG_ID", Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] });
    assert.equal((await client.send(new PutAccountPreferencesCommand({ ResourceIdType: "LONG_ID" }))).ResourceIdPreference?.ResourceIdType, "LONG_ID");
    await expectSdkError(client.send(new PutAccountPreferencesCommand({ ResourceIdType: "SHORT_ID" })), "BadRequest", 400, /LONG_ID/);
  });
});
