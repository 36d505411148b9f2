// Access points, mount targets and tags through @aws-sdk/client-efs: each operation's success and
// its documented errors, against the built Moor.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  CreateTagsCommand,
  DeleteAccessPointCommand,
  DeleteMountTargetCommand,
  DeleteTagsCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetSecurityGroupsCommand,
  DescribeMountTargetsCommand,
  DescribeTagsCommand,
  type EFSClient,
  ListTagsForResourceCommand,
  ModifyMountTargetSecurityGroupsCommand,
  paginateDescribeAccessPoints,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-efs";
import type { MoorUnderTest } from "../harness.js";
import { withMoorAndClient, eventually, expectSdkError, waitAvailable } from "./_efs.js";

const subnets = ["subnet-042a0000000000001", "subnet-042a0000000000002", "subnet-042a0000000000003"];
const defaultGroup = "sg-042a0000000000001";
const missingFs = "fs-0123456789abcdef0";
const missingAp = "fsap-0123456789abcdef0";
const missingMt = "fsmt-0123456789abcdef0";

let moor: MoorUnderTest;
let client: EFSClient;

withMoorAndClient((started, sdk) => {
  moor = started;
  client = sdk;
});

async function newFileSystem(token: string, availabilityZoneName?: string): Promise<string> {
  const created = await client.send(new CreateFileSystemCommand({ CreationToken: token, AvailabilityZoneName: availabilityZoneName }));
  await waitAvailable(client, created.FileSystemId!);
  return created.FileSystemId!;
}

describe("access points", () => {
  it("CreateAccessPoint answers with the POSIX user, root directory and tags, creating then available", async () => {
    const fs = await newFileSystem("ap-create");
    const created = await client.send(
      new CreateAccessPointCommand({
        FileSystemId: fs,
        ClientToken: "ap-token-1",
        PosixUser: { Uid: 1000, Gid: 1000, SecondaryGids: [2000, 3000] },
        RootDirectory: { Path: "/data/app", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "0750" } },
        Tags: [{ Key: "Name", Value: "app" }],
      }),
    );
    assert.match(created.AccessPointId!, /^fsap-[0-9a-f]{17}$/);
    assert.equal(created.AccessPointArn, `arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/${created.AccessPointId}`);
    assert.equal(created.LifeCycleState, "creating");
    assert.equal(created.Name, "app");
    assert.deepEqual(created.PosixUser, { Uid: 1000, Gid: 1000, SecondaryGids: [2000, 3000] });
    assert.deepEqual(created.RootDirectory, { Path: "/data/app", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "0750" } });
    await eventually(async () => {
      const { AccessPoints } = await client.send(new DescribeAccessPointsCommand({ AccessPointId: created.AccessPointId }));
      return AccessPoints?.[0]?.LifeCycleState === "available" ? true : undefined;
    }, "the access point to be available");
    const plain = await client.send(new CreateAccessPointCommand({ FileSystemId: fs }));
    assert.deepEqual(plain.RootDirectory, { Path: "/" });
    assert.ok(plain.ClientToken, "the SDK fills in a client token");
  });

  it("CreateAccessPoint refuses a reused client token with AccessPointAlreadyExists carrying the id", async () => {
    const fs = await newFileSystem("ap-token");
    const first = await client.send(new CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "pvc-1234" }));
    const error = await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "pvc-1234" })), "AccessPointAlreadyExists", 409);
    assert.equal(error.error.AccessPointId, first.AccessPointId);
  });

  it("CreateAccessPoint refuses bad paths, identities and unknown file systems", async () => {
    const fs = await newFileSystem("ap-bad");
    for (const Path of ["/a/b/c/d/e", "relative", "/a/.hidden", "/a;b", "/"+"x".repeat(100)]) {
      await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: fs, RootDirectory: { Path } })), "BadRequest", 400, /RootDirectory\.Path/);
    }
    await expectSdkError(
      client.send(new CreateAccessPointCommand({ FileSystemId: fs, RootDirectory: { Path: "/x", CreationInfo: { OwnerUid: 1, OwnerGid: 1, Permissions: "999" } } })),
      "BadRequest",
      400,
      /RootDirectory\.CreationInfo\.Permissions "999"/,
    );
    await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: fs, PosixUser: { Uid: -1, Gid: 0 } })), "BadRequest", 400, /PosixUser\.Uid -1/);
    await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: fs, PosixUser: { Uid: 1, Gid: 1, SecondaryGids: Array(17).fill(5) } })), "BadRequest", 400, /SecondaryGids/);
    await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: missingFs })), "FileSystemNotFound", 404);
  });

  it("DescribeAccessPoints finds by id or ARN, pages a file system's access points, and refuses both filters", async () => {
    const fs = await newFileSystem("ap-describe");
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push((await client.send(new CreateAccessPointCommand({ FileSystemId: fs }))).AccessPointId!);
    const arn = `arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/${ids[0]}`;
    assert.equal((await client.send(new DescribeAccessPointsCommand({ AccessPointId: arn }))).AccessPoints?.[0]?.AccessPointId, ids[0]);
    const first = await client.send(new DescribeAccessPointsCommand({ FileSystemId: fs, MaxResults: 2 }));
    assert.equal(first.AccessPoints?.length, 2);
    assert.ok(first.NextToken);
    const seen: string[] = [];
    for await (const page of paginateDescribeAccessPoints({ client, pageSize: 2 }, { FileSystemId: fs })) seen.push(...page.AccessPoints!.map((ap) => ap.AccessPointId!));
    assert.deepEqual(seen, [...ids].sort());
    await expectSdkError(client.send(new DescribeAccessPointsCommand({ FileSystemId: fs, AccessPointId: ids[0] })), "BadRequest", 400, /not both/);
    await expectSdkError(client.send(new DescribeAccessPointsCommand({ AccessPointId: missingAp })), "AccessPointNotFound", 404);
    await expectSdkError(client.send(new DescribeAccessPointsCommand({ FileSystemId: missingFs })), "FileSystemNotFound", 404);
  });

  it("DeleteAccessPoint answers 204 and then AccessPointNotFound", async () => {
    const fs = await newFileSystem("ap-delete");
    const { AccessPointId } = await client.send(new CreateAccessPointCommand({ FileSystemId: fs }));
    assert.equal((await client.send(new DeleteAccessPointCommand({ AccessPointId }))).$metadata.httpStatusCode, 204);
    await expectSdkError(client.send(new DeleteAccessPointCommand({ AccessPointId })), "AccessPointNotFound", 404);
    await expectSdkError(client.send(new DeleteAccessPointCommand({ AccessPointId: "fsap-zz" })), "BadRequest", 400);
  });
});

describe("mount targets", () => {
  it("CreateMountTarget fills the zone, VPC, interface and an address of the subnet", async () => {
    const fs = await newFileSystem("mt-create");
    const created = await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[1] }));
    assert.match(created.MountTargetId!, /^fsmt-[0-9a-f]{17}$/);
    assert.equal(created.LifeCycleState, "creating");
    assert.equal(created.AvailabilityZoneName, "us-east-1b");
    assert.equal(created.AvailabilityZoneId, "use1-az2");
    assert.equal(created.VpcId, "vpc-042a0000000000001");
    assert.match(created.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.match(created.IpAddress!, /^10\.42\.(1[6-9]|2\d|3[01])\.\d+$/);
    const chosen = await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0], IpAddress: "10.42.3.3", SecurityGroups: [defaultGroup] }));
    assert.equal(chosen.IpAddress, "10.42.3.3");
    const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: fs }));
    assert.equal(FileSystems?.[0]?.NumberOfMountTargets, 2);
  });

  it("CreateMountTarget enforces one per zone, known subnets, free addresses and known security groups", async () => {
    const fs = await newFileSystem("mt-errors");
    const other = await newFileSystem("mt-errors-other");
    await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0], IpAddress: "10.42.5.5" }));
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0] })), "MountTargetConflict", 409, /us-east-1a/);
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: "subnet-0123456789abcdef0" })), "SubnetNotFound", 400);
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: other, SubnetId: subnets[0], IpAddress: "10.42.5.5" })), "IpAddressInUse", 409);
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: other, SubnetId: subnets[0], IpAddress: "10.42.20.1" })), "BadRequest", 400, /not a usable address/);
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: other, SubnetId: subnets[0], SecurityGroups: ["sg-0123456789abcdef0"] })), "SecurityGroupNotFound", 400);
    await expectSdkError(
      client.send(new CreateMountTargetCommand({ FileSystemId: other, SubnetId: subnets[0], SecurityGroups: ["sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004", "sg-00000005", "sg-00000006"] })),
      "SecurityGroupLimitExceeded",
      400,
    );
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: other, SubnetId: subnets[0], IpAddressType: "IPV6_ONLY" })), "BadRequest", 400, /IPv6/);
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: missingFs, SubnetId: subnets[0] })), "FileSystemNotFound", 404);
  });

  it("a One Zone file system takes one mount target, in its own zone", async () => {
    const fs = await newFileSystem("mt-onezone", "us-east-1c");
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0] })), "AvailabilityZonesMismatch", 400, /us-east-1c/);
    await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[2] }));
    await expectSdkError(client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[2] })), "MountTargetConflict", 409);
  });

  it("DescribeMountTargets finds by file system, mount target or access point, and wants exactly one", async () => {
    const fs = await newFileSystem("mt-describe");
    const ids: string[] = [];
    for (const subnet of subnets) ids.push((await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnet }))).MountTargetId!);
    const { AccessPointId } = await client.send(new CreateAccessPointCommand({ FileSystemId: fs }));
    const byFs = await client.send(new DescribeMountTargetsCommand({ FileSystemId: fs }));
    assert.deepEqual(byFs.MountTargets?.map((mt) => mt.MountTargetId), [...ids].sort());
    assert.deepEqual((await client.send(new DescribeMountTargetsCommand({ AccessPointId }))).MountTargets?.length, 3);
    assert.equal((await client.send(new DescribeMountTargetsCommand({ MountTargetId: ids[0] }))).MountTargets?.[0]?.FileSystemId, fs);
    const page = await client.send(new DescribeMountTargetsCommand({ FileSystemId: fs, MaxItems: 2 }));
    assert.equal(page.MountTargets?.length, 2);
    const rest = await client.send(new DescribeMountTargetsCommand({ FileSystemId: fs, MaxItems: 2, Marker: page.NextMarker }));
    assert.equal(rest.MountTargets?.length, 1);
    await eventually(async () => {
      const { MountTargets } = await client.send(new DescribeMountTargetsCommand({ FileSystemId: fs }));
      return MountTargets?.every((mt) => mt.LifeCycleState === "available") ? true : undefined;
    }, "the mount targets to be available");
    await expectSdkError(client.send(new DescribeMountTargetsCommand({})), "BadRequest", 400, /exactly one/);
    await expectSdkError(client.send(new DescribeMountTargetsCommand({ MountTargetId: missingMt })), "MountTargetNotFound", 404);
    await expectSdkError(client.send(new DescribeMountTargetsCommand({ AccessPointId: missingAp })), "AccessPointNotFound", 404);
  });

  it("describes and replaces a mount target's security groups", async () => {
    const fs = await newFileSystem("mt-groups");
    const { MountTargetId } = await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0] }));
    assert.deepEqual((await client.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId }))).SecurityGroups, [defaultGroup]);
    const modified = await client.send(new ModifyMountTargetSecurityGroupsCommand({ MountTargetId, SecurityGroups: [defaultGroup] }));
    assert.equal(modified.$metadata.httpStatusCode, 204);
    await expectSdkError(client.send(new ModifyMountTargetSecurityGroupsCommand({ MountTargetId, SecurityGroups: ["sg-0123456789abcdef0"] })), "SecurityGroupNotFound", 400);
    await expectSdkError(client.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: missingMt })), "MountTargetNotFound", 404);
  });

  it("DeleteMountTarget answers 204, frees the zone, and then MountTargetNotFound", async () => {
    const fs = await newFileSystem("mt-delete");
    const { MountTargetId } = await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0] }));
    assert.equal((await client.send(new DeleteMountTargetCommand({ MountTargetId }))).$metadata.httpStatusCode, 204);
    await expectSdkError(client.send(new DeleteMountTargetCommand({ MountTargetId })), "MountTargetNotFound", 404);
    await client.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0] }));
  });
});

describe("tags", () => {
  it("tags, lists and untags file systems and access points by id or ARN", async () => {
    const fs = await newFileSystem("tags-resource");
    const { AccessPointId, AccessPointArn } = await client.send(new CreateAccessPointCommand({ FileSystemId: fs }));
    for (const resource of [fs, `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${fs}`, AccessPointId!, AccessPointArn!]) {
      await client.send(new TagResourceCommand({ ResourceId: resource, Tags: [{ Key: "Name", Value: "named" }, { Key: "env", Value: "test" }] }));
      const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceId: resource }));
      assert.deepEqual(Tags, [{ Key: "Name", Value: "named" }, { Key: "env", Value: "test" }]);
      await client.send(new UntagResourceCommand({ ResourceId: resource, TagKeys: ["env"] }));
      assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceId: resource }))).Tags, [{ Key: "Name", Value: "named" }]);
    }
    assert.equal((await client.send(new DescribeFileSystemsCommand({ FileSystemId: fs }))).FileSystems?.[0]?.Name, "named");
    assert.equal((await client.send(new DescribeAccessPointsCommand({ AccessPointId }))).AccessPoints?.[0]?.Name, "named");
    const page = await client.send(new ListTagsForResourceCommand({ ResourceId: fs, MaxResults: 1 }));
    assert.equal(page.NextToken, undefined);
  });

  it("refuses reserved keys, too many tags and unknown resources", async () => {
    const fs = await newFileSystem("tags-errors");
    await expectSdkError(client.send(new TagResourceCommand({ ResourceId: fs, Tags: [{ Key: "aws:owner", Value: "x" }] })), "BadRequest", 400, /Tags\[0\]\.Key "aws:owner"/);
    const many = Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: "v" }));
    await expectSdkError(client.send(new TagResourceCommand({ ResourceId: fs, Tags: many })), "BadRequest", 400, /at most 50/);
    await expectSdkError(client.send(new TagResourceCommand({ ResourceId: missingFs, Tags: [{ Key: "a", Value: "b" }] })), "FileSystemNotFound", 404);
    await expectSdkError(client.send(new ListTagsForResourceCommand({ ResourceId: missingAp })), "AccessPointNotFound", 404);
    await expectSdkError(client.send(new UntagResourceCommand({ ResourceId: fs, TagKeys: [] })), "BadRequest", 400, /tagKeys/);
  });

  it("keeps the deprecated CreateTags, DescribeTags and DeleteTags working", async () => {
    const fs = await newFileSystem("tags-legacy");
    const created = await client.send(new CreateTagsCommand({ FileSystemId: fs, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }, { Key: "c", Value: "3" }] }));
    assert.equal(created.$metadata.httpStatusCode, 204);
    const first = await client.send(new DescribeTagsCommand({ FileSystemId: fs, MaxItems: 2 }));
    assert.deepEqual(first.Tags, [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }]);
    const second = await client.send(new DescribeTagsCommand({ FileSystemId: fs, MaxItems: 2, Marker: first.NextMarker }));
    assert.deepEqual(second.Tags, [{ Key: "c", Value: "3" }]);
    await client.send(new DeleteTagsCommand({ FileSystemId: fs, TagKeys: ["a", "c"] }));
    assert.deepEqual((await client.send(new DescribeTagsCommand({ FileSystemId: fs }))).Tags, [{ Key: "b", Value: "2" }]);
    await expectSdkError(client.send(new DescribeTagsCommand({ FileSystemId: missingFs })), "FileSystemNotFound", 404);
  });
});
