// The EC2 service's VPCs, subnets, zones, interfaces and tags over the in-memory store.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { embeddedVpc } from "../../domain/network/mod.js";
import { clusterSecurityGroupId } from "../../domain/securitygroups/mod.js";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEc2Service, type Ec2Operations } from "./mod.js";

const region = "us-east-1";
const call = { region, accountId: "123456789012", requestId: "r-1" };
const vpc = embeddedVpc(region);
let store: Store;
let ec2: Ec2Operations;

beforeEach(() => {
  store = createMemoryStore();
  let counter = 0;
  const service = createEc2Service({ store, region, accountId: "123456789012", clusterName: "moor", randomHex: () => (++counter).toString(16).padStart(17, "0") });
  service.ensureEmbeddedObjects();
  ec2 = service.operations;
});

function refusal(run: () => unknown): MoorError {
  try {
    run();
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail("expected a refusal");
}

describe("the EC2 service's VPCs and subnets", () => {
  it("DescribeVpcs shows the embedded VPC with its CIDR, and an unknown id is InvalidVpcID.NotFound", () => {
    const { Vpcs } = ec2.DescribeVpcs({}, call);
    assert.deepEqual(Vpcs.map((v) => [v.VpcId, v.CidrBlock, v.State]), [[vpc.vpcId, "10.42.0.0/16", "available"]]);
    assert.equal(refusal(() => ec2.DescribeVpcs({ VpcIds: ["vpc-0000000000000dead"] }, call)).code, "InvalidVpcID.NotFound");
    assert.equal(ec2.DescribeVpcs({ Filters: [{ Name: "tag:Name", Values: ["eksctl-moor-cluster/VPC"] }] }, call).Vpcs.length, 1);
    assert.equal(refusal(() => ec2.DescribeVpcs({ Filters: [{ Name: "nonsense", Values: ["x"] }] }, call)).code, "InvalidParameterValue");
  });

  it("DescribeSubnets shows three private subnets with the internal-elb tag and three public ones with the elb tag", () => {
    const { Subnets } = ec2.DescribeSubnets({ Filters: [{ Name: "vpc-id", Values: [vpc.vpcId] }] }, call);
    const tagged = (key: string) => Subnets.filter((s) => s.Tags.some((tag) => tag.Key === key && tag.Value === "1"));
    assert.deepEqual(tagged("kubernetes.io/role/internal-elb").map((s) => s.SubnetId), vpc.subnets.map((s) => s.subnetId));
    assert.deepEqual(tagged("kubernetes.io/role/elb").map((s) => [s.CidrBlock, s.MapPublicIpOnLaunch]), [["10.42.128.0/20", true], ["10.42.144.0/20", true], ["10.42.160.0/20", true]]);
    const [first] = ec2.DescribeSubnets({ SubnetIds: [vpc.subnets[0]!.subnetId] }, call).Subnets;
    assert.deepEqual([first!.AvailabilityZone, first!.AvailableIpAddressCount], ["us-east-1a", 4091]);
    assert.equal(refusal(() => ec2.DescribeSubnets({ SubnetIds: ["subnet-0000000000000dead"] }, call)).message, "The subnet ID 'subnet-0000000000000dead' does not exist");
  });

  it("CreateVpc, CreateSubnet, DeleteSubnet and DeleteVpc: a VPC with its own default group, subnets inside it without overlap", () => {
    const created = ec2.CreateVpc({ CidrBlock: "10.0.0.0/16" }, call).Vpc;
    const groups = ec2.DescribeSecurityGroups({ Filters: [{ Name: "vpc-id", Values: [created.VpcId] }] }, call).SecurityGroups;
    assert.deepEqual(groups.map((group) => group.GroupName), ["default"]);
    const subnet = ec2.CreateSubnet({ VpcId: created.VpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1b" }, call).Subnet;
    assert.equal(subnet.AvailabilityZoneId, "use1-az2");
    assert.equal(refusal(() => ec2.CreateSubnet({ VpcId: created.VpcId, CidrBlock: "10.0.1.128/25" }, call)).code, "InvalidSubnet.Conflict");
    assert.equal(refusal(() => ec2.CreateSubnet({ VpcId: created.VpcId, CidrBlock: "10.1.0.0/24" }, call)).code, "InvalidSubnet.Range");
    assert.equal(refusal(() => ec2.DeleteVpc({ VpcId: created.VpcId }, call)).code, "DependencyViolation");
    ec2.DeleteSubnet({ SubnetId: subnet.SubnetId }, call);
    ec2.DeleteVpc({ VpcId: created.VpcId }, call);
    assert.equal(ec2.DescribeSecurityGroups({ Filters: [{ Name: "vpc-id", Values: [created.VpcId] }] }, call).SecurityGroups.length, 0);
    assert.equal(refusal(() => ec2.DeleteSubnet({ SubnetId: vpc.subnets[0]!.subnetId }, call)).code, "DependencyViolation");
  });

  it("DescribeVpcAttribute and ModifyVpcAttribute read and change one attribute at a time", () => {
    assert.deepEqual(ec2.DescribeVpcAttribute({ VpcId: vpc.vpcId, Attribute: "enableDnsHostnames" }, call), { VpcId: vpc.vpcId, EnableDnsHostnames: { Value: true } });
    ec2.ModifyVpcAttribute({ VpcId: vpc.vpcId, EnableDnsHostnames: { Value: false } }, call);
    assert.deepEqual(ec2.DescribeVpcAttribute({ VpcId: vpc.vpcId, Attribute: "enableDnsHostnames" }, call).EnableDnsHostnames, { Value: false });
    assert.equal(refusal(() => ec2.ModifyVpcAttribute({ VpcId: vpc.vpcId, EnableDnsHostnames: { Value: true }, EnableDnsSupport: { Value: true } }, call)).code, "InvalidParameterCombination");
  });

  it("DescribeRouteTables and DescribeNetworkAcls give each VPC a main route table with its local route and a default ACL over its subnets", () => {
    const [table] = ec2.DescribeRouteTables({ Filters: [{ Name: "vpc-id", Values: [vpc.vpcId] }, { Name: "association.main", Values: ["true"] }] }, call).RouteTables;
    assert.deepEqual(table!.Routes, [{ DestinationCidrBlock: "10.42.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" }]);
    assert.equal(table!.Associations[0]!.Main, true);
    const [acl] = ec2.DescribeNetworkAcls({ Filters: [{ Name: "default", Values: ["true"] }, { Name: "vpc-id", Values: [vpc.vpcId] }] }, call).NetworkAcls;
    assert.equal(acl!.Associations.length, 6);
    assert.deepEqual(acl!.Entries.filter((entry) => !entry.Egress).map((entry) => [entry.RuleNumber, entry.RuleAction]), [[100, "allow"], [32767, "deny"]]);
    assert.equal(refusal(() => ec2.DescribeRouteTables({ RouteTableIds: ["rtb-0000000000000dead"] }, call)).code, "InvalidRouteTableID.NotFound");
  });

  it("DescribeAvailabilityZones and DescribeAccountAttributes describe the region's three zones and a VPC-only account", () => {
    assert.deepEqual(ec2.DescribeAvailabilityZones({}, call).AvailabilityZones.map((zone) => zone.ZoneName), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.deepEqual(ec2.DescribeAvailabilityZones({ ZoneNames: ["us-east-1c"] }, call).AvailabilityZones.map((zone) => zone.ZoneId), ["use1-az3"]);
    const attributes = ec2.DescribeAccountAttributes({ AttributeNames: ["supported-platforms"] }, call).AccountAttributes;
    assert.deepEqual(attributes, [{ AttributeName: "supported-platforms", AttributeValues: [{ AttributeValue: "VPC" }] }]);
  });
});

describe("the EC2 service's interfaces and tags", () => {
  it("DescribeNetworkInterfaces shows a running pod with the cluster group and a mount target with its own", () => {
    store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, status: { podIP: "10.42.0.7", phase: "Running" } });
    store.create({
      apiVersion: "efs.moor.dev/v1",
      kind: "MountTarget",
      metadata: { name: "fsmt-1" },
      spec: { fileSystemId: "fs-1", subnetId: vpc.subnets[1]!.subnetId, ipAddress: "10.42.31.254", securityGroups: [vpc.defaultSecurityGroupId], availabilityZoneName: "us-east-1b", networkInterfaceId: "eni-0123456789abcdef0" },
      status: { lifeCycleState: "available" },
    });
    const { NetworkInterfaces } = ec2.DescribeNetworkInterfaces({}, call);
    assert.deepEqual(
      NetworkInterfaces.map((eni) => [eni.PrivateIpAddress, eni.SubnetId, eni.InterfaceType, eni.Groups.map((group) => group.GroupId).join()]),
      [
        ["10.42.0.7", vpc.subnets[0]!.subnetId, "fargate", clusterSecurityGroupId],
        ["10.42.31.254", vpc.subnets[1]!.subnetId, "efs", vpc.defaultSecurityGroupId],
      ],
    );
    assert.equal(NetworkInterfaces[1]!.Groups[0]!.GroupName, "default");
    const byAddress = ec2.DescribeNetworkInterfaces({ Filters: [{ Name: "addresses.private-ip-address", Values: ["10.42.31.254"] }] }, call);
    assert.deepEqual(byAddress.NetworkInterfaces.map((eni) => eni.NetworkInterfaceId), ["eni-0123456789abcdef0"]);
    assert.equal(refusal(() => ec2.DescribeNetworkInterfaces({ NetworkInterfaceIds: ["eni-0000000000000dead"] }, call)).code, "InvalidNetworkInterfaceID.NotFound");
  });

  it("CreateTags, DescribeTags and DeleteTags work on VPCs, subnets and groups; another kind of id is InvalidID", () => {
    const { GroupId } = ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "d" }, call);
    ec2.CreateTags({ Resources: [GroupId, vpc.vpcId], Tags: [{ Key: "team", Value: "storage" }] }, call);
    const tags = ec2.DescribeTags({ Filters: [{ Name: "key", Values: ["team"] }] }, call).Tags;
    assert.deepEqual(tags.map((tag) => [tag.ResourceId, tag.ResourceType, tag.Value]).sort(), [[GroupId, "security-group", "storage"], [vpc.vpcId, "vpc", "storage"]]);
    ec2.DeleteTags({ Resources: [GroupId], Tags: [{ Key: "team", Value: "other" }] }, call);
    assert.equal(ec2.DescribeTags({ Filters: [{ Name: "resource-id", Values: [GroupId] }] }, call).Tags.length, 1);
    ec2.DeleteTags({ Resources: [GroupId], Tags: [{ Key: "team" }] }, call);
    assert.equal(ec2.DescribeTags({ Filters: [{ Name: "resource-id", Values: [GroupId] }] }, call).Tags.length, 0);
    assert.equal(refusal(() => ec2.CreateTags({ Resources: ["i-0123"], Tags: [{ Key: "a", Value: "b" }] }, call)).code, "InvalidID");
  });
});
