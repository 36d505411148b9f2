// Everything the EFS API created survives `moor down` / `moor up`: the objects as described, the
// claims they hold (creation and client tokens, addresses), the data and its metered size.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DescribeAccessPointsCommand,
  DescribeBackupPolicyCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeMountTargetsCommand,
  type EFSClient,
  PutBackupPolicyCommand,
  PutFileSystemPolicyCommand,
  PutLifecycleConfigurationCommand,
} from "@aws-sdk/client-efs";
import type { MoorUnderTest } from "../harness.js";
import { withMoorAndClient, eventually, expectSdkError, waitAvailable } from "./_efs.js";

const subnets = ["subnet-042a0000000000001", "subnet-042a0000000000002", "subnet-042a0000000000003"];
const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientMount" }] });
const writtenBytes = 2 * 1024 * 1024;

let moor: MoorUnderTest;
let client: EFSClient;

withMoorAndClient((started, sdk) => {
  moor = started;
  client = sdk;
});

async function snapshot(fileSystemId: string) {
  const strip = <T extends { $metadata?: unknown }>({ $metadata: _metadata, ...output }: T) => output;
  return {
    fileSystems: strip(await client.send(new DescribeFileSystemsCommand({ FileSystemId: fileSystemId }))),
    accessPoints: strip(await client.send(new DescribeAccessPointsCommand({ FileSystemId: fileSystemId }))),
    mountTargets: strip(await client.send(new DescribeMountTargetsCommand({ FileSystemId: fileSystemId }))),
    policy: strip(await client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: fileSystemId }))),
    lifecycle: strip(await client.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: fileSystemId }))),
    backup: strip(await client.send(new DescribeBackupPolicyCommand({ FileSystemId: fileSystemId }))),
  };
}

describe("a restart of Moor", () => {
  it("keeps file systems, access points, mount targets, their settings, claims and data", async () => {
    const { FileSystemId } = await client.send(
      new CreateFileSystemCommand({ CreationToken: "restart", Encrypted: true, Tags: [{ Key: "Name", Value: "kept" }, { Key: "team", Value: "a" }] }),
    );
    const fs = FileSystemId!;
    await waitAvailable(client, fs);
    await client.send(
      new CreateAccessPointCommand({
        FileSystemId: fs,
        ClientToken: "restart-ap",
        PosixUser: { Uid: 1000, Gid: 1000 },
        RootDirectory: { Path: "/data", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "777" } },
      }),
    );
    for (const subnet of subnets) await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnet }));
    await client.send(new PutFileSystemPolicyCommand({ FileSystemId: fs, Policy: policy }));
    await client.send(new PutLifecycleConfigurationCommand({ FileSystemId: fs, LifecyclePolicies: [{ TransitionToIA: "AFTER_30_DAYS" }] }));
    await client.send(new PutBackupPolicyCommand({ FileSystemId: fs, BackupPolicy: { Status: "ENABLED" } }));
    writeFileSync(join(moor.home, "filesystems", fs, "payload"), Buffer.alloc(writtenBytes, 7));
    await eventually(async () => {
      const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: fs }));
      const settled = FileSystems?.[0]?.SizeInBytes?.Value! >= writtenBytes;
      const ready = (await client.send(new DescribeAccessPointsCommand({ FileSystemId: fs }))).AccessPoints?.every((ap) => ap.LifeCycleState === "available");
      const mounted = (await client.send(new DescribeMountTargetsCommand({ FileSystemId: fs }))).MountTargets?.every((mt) => mt.LifeCycleState === "available");
      return settled && ready && mounted ? true : undefined;
    }, "the size to follow the written data and everything to be available");
    const before = await snapshot(fs);

    await moor.stop();
    await moor.start();

    assert.deepEqual(await snapshot(fs), before);
    assert.equal(before.fileSystems.FileSystems?.[0]?.NumberOfMountTargets, 3);
    await expectSdkError(client.send(new CreateFileSystemCommand({ CreationToken: "restart" })), "FileSystemAlreadyExists", 409);
    await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "restart-ap" })), "AccessPointAlreadyExists", 409);
    const usedIp = before.mountTargets.MountTargets![0]!.IpAddress!;
    const other = (await client.send(new CreateFileSystemCommand({ CreationToken: "restart-other" }))).FileSystemId!;
    await waitAvailable(client, other);
    const subnet = before.mountTargets.MountTargets![0]!.SubnetId!;
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: other, SubnetId: subnet, IpAddress: usedIp })), "IpAddressInUse", 409);
  });
});
