// Issue 12: the guides' EC2 command lines verbatim against a real Moor, only the endpoint set
// (`moor env`), with the aws CLI; and the same operations through the JavaScript SDK v3, whose
// XML parsing is strict about member names, success and documented errors alike.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeAvailabilityZonesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
} from "@aws-sdk/client-ec2";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";

let moor: MoorUnderTest;
let client: EC2Client;
before(async () => {
  moor = await startMoor();
  client = new EC2Client({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } });
});
after(async () => {
  client?.destroy();
  await moor?.dispose();
});

async function cli(args: string[]): Promise<string> {
  const result = await aws(moor, args);
  assert.equal(result.code, 0, `aws ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

describe("EC2 through the aws CLI", () => {
  it("describe-vpcs, create-security-group, authorize-security-group-ingress --port 2049, describe and delete", async () => {
    const cidr = await cli(["ec2", "describe-vpcs", "--query", "Vpcs[].CidrBlock", "--output", "text"]);
    assert.equal(cidr, "10.42.0.0/16");
    const vpcId = await cli(["ec2", "describe-vpcs", "--query", "Vpcs[0].VpcId", "--output", "text"]);
    const groupId = await cli(["ec2", "create-security-group", "--group-name", "efs-sg", "--description", "EFS SG", "--vpc-id", vpcId, "--query", "GroupId", "--output", "text"]);
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    const authorized = JSON.parse(await cli(["ec2", "authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "2049", "--cidr", cidr, "--output", "json"]));
    assert.equal(authorized.Return, true);
    assert.deepEqual([authorized.SecurityGroupRules[0].FromPort, authorized.SecurityGroupRules[0].CidrIpv4], [2049, cidr]);
    const described = JSON.parse(await cli(["ec2", "describe-security-groups", "--group-ids", groupId, "--output", "json"]));
    assert.deepEqual(described.SecurityGroups[0].IpPermissions[0].IpRanges, [{ CidrIp: cidr }]);
    assert.equal(described.SecurityGroups[0].Description, "EFS SG");
    const duplicate = await aws(moor, ["ec2", "authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "2049", "--cidr", cidr]);
    assert.equal(duplicate.code, 255);
    assert.match(duplicate.stderr, /An error occurred \(InvalidPermission\.Duplicate\) when calling the AuthorizeSecurityGroupIngress operation: the specified rule "peer: 10\.42\.0\.0\/16, TCP, from port: 2049, to port: 2049, ALLOW" already exists/);
    await cli(["ec2", "delete-security-group", "--group-id", groupId]);
    const gone = await aws(moor, ["ec2", "describe-security-groups", "--group-ids", groupId]);
    assert.equal(gone.code, 255);
    assert.match(gone.stderr, new RegExp(`\\(InvalidGroup\\.NotFound\\) when calling the DescribeSecurityGroups operation: The security group '${groupId}' does not exist`));
  });

  it("describe-subnets finds the private subnets by their internal-elb tag", async () => {
    const ids = await cli(["ec2", "describe-subnets", "--filters", "Name=tag:kubernetes.io/role/internal-elb,Values=1", "--query", "Subnets[].SubnetId", "--output", "text"]);
    assert.equal(ids.split(/\s+/).length, 3);
  });
});

describe("EC2 through the JavaScript SDK v3", () => {
  it("reads VPCs, subnets, zones and groups with every member in place", async () => {
    const { Vpcs } = await client.send(new DescribeVpcsCommand({}));
    assert.equal(Vpcs?.[0]?.CidrBlockAssociationSet?.[0]?.CidrBlockState?.State, "associated");
    assert.equal(Vpcs?.[0]?.Tags?.[0]?.Key, "Name");
    const { Subnets } = await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [Vpcs![0]!.VpcId!] }] }));
    assert.equal(Subnets?.length, 6);
    assert.equal(Subnets?.filter((subnet) => subnet.MapPublicIpOnLaunch).length, 3);
    assert.ok(Subnets?.every((subnet) => typeof subnet.AvailableIpAddressCount === "number" && subnet.Tags && subnet.Tags.length > 0));
    const { AvailabilityZones } = await client.send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(AvailabilityZones?.map((zone) => zone.ZoneId), ["use1-az1", "use1-az2", "use1-az3"]);
    const { SecurityGroups } = await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["default"] }] }));
    assert.equal(SecurityGroups?.[0]?.IpPermissionsEgress?.[0]?.IpRanges?.[0]?.CidrIp, "0.0.0.0/0");
    assert.ok(SecurityGroups?.[0]?.IpPermissions?.[0]?.UserIdGroupPairs?.some((pair) => pair.GroupId === SecurityGroups[0]!.GroupId));
  });

  it("creates, authorizes, describes and deletes a group, and reads EC2's errors by code", async () => {
    const { GroupId, SecurityGroupArn } = await client.send(new CreateSecurityGroupCommand({ GroupName: "sdk-sg", Description: "from the SDK" }));
    assert.match(SecurityGroupArn ?? "", /^arn:aws:ec2:us-east-1:\d{12}:security-group\/sg-/);
    const authorized = await client.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 2049, ToPort: 2049, IpRanges: [{ CidrIp: "10.42.0.0/16", Description: "NFS" }] }] }),
    );
    assert.equal(authorized.SecurityGroupRules?.[0]?.Description, "NFS");
    const { SecurityGroups } = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }));
    assert.equal(SecurityGroups?.[0]?.IpPermissions?.[0]?.IpRanges?.[0]?.Description, "NFS");
    const duplicate = await client.send(new CreateSecurityGroupCommand({ GroupName: "sdk-sg", Description: "again" })).catch((error: unknown) => error);
    assert.ok(duplicate instanceof EC2ServiceException);
    assert.equal(duplicate.name, "InvalidGroup.Duplicate");
    assert.equal(duplicate.$metadata.httpStatusCode, 400);
    await client.send(new DeleteSecurityGroupCommand({ GroupId }));
    const missing = await client.send(new DeleteSecurityGroupCommand({ GroupId })).catch((error: unknown) => error);
    assert.equal((missing as EC2ServiceException).name, "InvalidGroup.NotFound");
  });

  it("lists network interfaces as a strict client reads them", async () => {
    const { NetworkInterfaces } = await client.send(new DescribeNetworkInterfacesCommand({}));
    assert.ok(Array.isArray(NetworkInterfaces));
  });
});
