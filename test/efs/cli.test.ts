// The script, driven by the real aws CLI with the environment `moor env` prints, and the
// errors the CLI reports for the core operations.

import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aws, moorEntry, type MoorUnderTest, run, startMoor } from "../harness.js";
import { eventually, expectCliError } from "./_efs.js";

let moor: MoorUnderTest;
let subnets: string[];

before(async () => {
  moor = await startMoor();
  const status = await run(process.execPath, [moorEntry, "status"], { env: moor.env });
  subnets = [...status.stdout.matchAll(/subnet\s+(subnet-[0-9a-f]+)/g)].map((match) => match[1]!);
});
after(() => moor.dispose());

async function cli(...args: string[]): Promise<string> {
  const result = await aws(moor, ["efs", ...args]);
  assert.equal(result.code, 0, `aws efs ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

async function waitForState(fileSystemId: string, state: string): Promise<void> {
  await eventually(async () => {
    const text = await cli("describe-file-systems", "--file-system-id", fileSystemId, "--query", "FileSystems[0].LifeCycleState", "--output", "text");
    return text === state ? true : undefined;
  }, `${fileSystemId} to be ${state}`);
}

describe("the issue's script with the aws CLI", () => {
  let fileSystemId: string;

  it("creates an encrypted bursting file system with a creation token and tags", async () => {
    assert.equal(subnets.length, 3, "moor status shows the embedded VPC's three subnets");
    fileSystemId = await cli(
      "create-file-system",
      "--creation-token",
      "issue-2",
      "--encrypted",
      "--throughput-mode",
      "bursting",
      "--tags",
      "Key=Name,Value=shared-data",
      "Key=team,Value=storage",
      "--query",
      "FileSystemId",
      "--output",
      "text",
    );
    assert.match(fileSystemId, /^fs-[0-9a-f]{17}$/);
    await waitForState(fileSystemId, "available");
    const info = statSync(join(moor.home, "filesystems", fileSystemId));
    assert.equal(info.mode & 0o7777, 0o755);
  });

  it("creates an access point with a POSIX user and a root directory with creation info", async () => {
    const accessPointId = await cli(
      "create-access-point",
      "--file-system-id",
      fileSystemId,
      "--posix-user",
      "Uid=1000,Gid=1000",
      "--root-directory",
      "Path=/data,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=777}",
      "--query",
      "AccessPointId",
      "--output",
      "text",
    );
    assert.match(accessPointId, /^fsap-[0-9a-f]{17}$/);
  });

  it("creates a mount target in every subnet", async () => {
    for (const subnet of subnets) {
      const line = await cli("create-mount-target", "--file-system-id", fileSystemId, "--subnet-id", subnet, "--query", "[MountTargetId,SubnetId,IpAddress]", "--output", "text");
      const [mountTargetId, subnetId, ip] = line.split("\t");
      assert.match(mountTargetId!, /^fsmt-[0-9a-f]{17}$/);
      assert.equal(subnetId, subnet);
      assert.match(ip!, /^10\.42\.\d+\.\d+$/);
    }
  });

  it("reads everything back with --query and --output text", async () => {
    assert.equal(
      await cli("describe-file-systems", "--creation-token", "issue-2", "--query", "FileSystems[0].[FileSystemId,Encrypted,ThroughputMode,PerformanceMode,Name,NumberOfMountTargets]", "--output", "text"),
      `${fileSystemId}\tTrue\tbursting\tgeneralPurpose\tshared-data\t3`,
    );
    assert.equal(
      await cli("describe-access-points", "--file-system-id", fileSystemId, "--query", "AccessPoints[0].[PosixUser.Uid,PosixUser.Gid,RootDirectory.Path,RootDirectory.CreationInfo.OwnerUid,RootDirectory.CreationInfo.Permissions]", "--output", "text"),
      "1000\t1000\t/data\t1000\t777",
    );
    const zones = await cli("describe-mount-targets", "--file-system-id", fileSystemId, "--query", "sort_by(MountTargets,&AvailabilityZoneName)[].AvailabilityZoneName", "--output", "text");
    assert.equal(zones, "us-east-1a\tus-east-1b\tus-east-1c");
    const tags = await cli("list-tags-for-resource", "--resource-id", fileSystemId, "--query", "Tags[?Key=='team'].Value", "--output", "text");
    assert.equal(tags, "storage");
  });

  it("reports the core errors as AWS does", async () => {
    expectCliError(await aws(moor, ["efs", "create-file-system", "--creation-token", "issue-2"]), "FileSystemAlreadyExists", "CreateFileSystem", new RegExp(fileSystemId));
    expectCliError(await aws(moor, ["efs", "delete-file-system", "--file-system-id", fileSystemId]), "FileSystemInUse", "DeleteFileSystem", /3 mount target/);
    expectCliError(await aws(moor, ["efs", "create-mount-target", "--file-system-id", fileSystemId, "--subnet-id", subnets[0]!]), "MountTargetConflict", "CreateMountTarget", /us-east-1a/);
    expectCliError(await aws(moor, ["efs", "create-mount-target", "--file-system-id", fileSystemId, "--subnet-id", "subnet-0123456789abcdef0"]), "SubnetNotFound", "CreateMountTarget");
    expectCliError(
      await aws(moor, ["efs", "create-access-point", "--file-system-id", fileSystemId, "--root-directory", "Path=/a/.b"]),
      "BadRequest",
      "CreateAccessPoint",
      /RootDirectory\.Path "\/a\/\.b"/,
    );
    expectCliError(await aws(moor, ["efs", "describe-file-systems", "--file-system-id", "fs-0123456789abcdef0"]), "FileSystemNotFound", "DescribeFileSystems");
    expectCliError(await aws(moor, ["efs", "delete-access-point", "--access-point-id", "fsap-0123456789abcdef0"]), "AccessPointNotFound", "DeleteAccessPoint");
    expectCliError(await aws(moor, ["efs", "describe-file-system-policy", "--file-system-id", fileSystemId]), "PolicyNotFound", "DescribeFileSystemPolicy");
  });

  it("deletes the mount targets, then the file system and its data directory", async () => {
    const ids = (await cli("describe-mount-targets", "--file-system-id", fileSystemId, "--query", "MountTargets[].MountTargetId", "--output", "text")).split("\t");
    for (const id of ids) await cli("delete-mount-target", "--mount-target-id", id);
    await cli("delete-file-system", "--file-system-id", fileSystemId);
    await eventually(async () => {
      const result = await aws(moor, ["efs", "describe-file-systems", "--file-system-id", fileSystemId]);
      return result.code !== 0 ? result : undefined;
    }, "the file system to be gone").then((result) => expectCliError(result, "FileSystemNotFound", "DescribeFileSystems"));
    assert.equal(existsSync(join(moor.home, "filesystems", fileSystemId)), false);
  });
});
