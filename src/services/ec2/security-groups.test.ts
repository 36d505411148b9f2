// The EC2 service's security groups over the in-memory store, with counted ids: what the aws
// CLI's create, authorize, describe, revoke and delete lines reach, and EC2's refusals.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { clusterSecurityGroupId } from "../../domain/securitygroups/mod.js";
import { embeddedVpc } from "../../domain/network/mod.js";
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

const nfsFromVpc = { GroupId: "", IpPermissions: [{ IpProtocol: "tcp", FromPort: 2049, ToPort: 2049, IpRanges: [{ CidrIp: "10.42.0.0/16" }] }] };

describe("the EC2 service's security groups", () => {
  it("CreateSecurityGroup makes a group with EC2's one egress rule, and DescribeSecurityGroups shows it by id, name and filter", () => {
    const created = ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "EFS SG", VpcId: vpc.vpcId }, call);
    assert.equal(created.GroupId, "sg-00000000000000001");
    assert.equal(created.SecurityGroupArn, "arn:aws:ec2:us-east-1:123456789012:security-group/sg-00000000000000001");
    const [byId] = ec2.DescribeSecurityGroups({ GroupIds: [created.GroupId] }, call).SecurityGroups;
    assert.equal(byId!.GroupName, "efs-sg");
    assert.deepEqual(byId!.IpPermissions, []);
    assert.deepEqual(byId!.IpPermissionsEgress.map((p) => [p.IpProtocol, p.IpRanges]), [["-1", [{ CidrIp: "0.0.0.0/0" }]]]);
    assert.equal(ec2.DescribeSecurityGroups({ GroupNames: ["efs-sg"] }, call).SecurityGroups[0]!.GroupId, created.GroupId);
    const filtered = ec2.DescribeSecurityGroups({ Filters: [{ Name: "vpc-id", Values: [vpc.vpcId] }, { Name: "group-name", Values: ["efs-*"] }] }, call);
    assert.deepEqual(filtered.SecurityGroups.map((group) => group.GroupId), [created.GroupId]);
  });

  it("the embedded VPC starts with its default group and the cluster group", () => {
    const groups = ec2.DescribeSecurityGroups({ Filters: [{ Name: "vpc-id", Values: [vpc.vpcId] }] }, call).SecurityGroups;
    assert.deepEqual(groups.map((group) => [group.GroupId, group.GroupName]).sort(), [
      [vpc.defaultSecurityGroupId, "default"],
      [clusterSecurityGroupId, "eks-cluster-sg-moor-1423072042"],
    ]);
  });

  it("CreateSecurityGroup refuses a duplicate name in the VPC, the name default and an unknown VPC, with EC2's codes and texts", () => {
    ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "d", VpcId: vpc.vpcId }, call);
    const duplicate = refusal(() => ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "d", VpcId: vpc.vpcId }, call));
    assert.deepEqual([duplicate.code, duplicate.message], ["InvalidGroup.Duplicate", `The security group 'efs-sg' already exists for VPC '${vpc.vpcId}'`]);
    assert.equal(refusal(() => ec2.CreateSecurityGroup({ GroupName: "default", Description: "d" }, call)).code, "InvalidParameterValue");
    const noVpc = refusal(() => ec2.CreateSecurityGroup({ GroupName: "x", Description: "d", VpcId: "vpc-0000000000000dead" }, call));
    assert.deepEqual([noVpc.code, noVpc.message], ["InvalidVpcID.NotFound", "The vpc ID 'vpc-0000000000000dead' does not exist"]);
  });

  it("AuthorizeSecurityGroupIngress adds the rule once and returns it; the same rule again is InvalidPermission.Duplicate", () => {
    const { GroupId } = ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "d", VpcId: vpc.vpcId }, call);
    const answer = ec2.AuthorizeSecurityGroupIngress({ ...nfsFromVpc, GroupId }, call);
    assert.equal(answer.Return, true);
    assert.deepEqual(
      answer.SecurityGroupRules.map((rule) => [rule.GroupId, rule.IsEgress, rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIpv4]),
      [[GroupId, false, "tcp", 2049, 2049, "10.42.0.0/16"]],
    );
    const [group] = ec2.DescribeSecurityGroups({ GroupIds: [GroupId] }, call).SecurityGroups;
    assert.deepEqual(group!.IpPermissions, [{ IpProtocol: "tcp", FromPort: 2049, ToPort: 2049, IpRanges: [{ CidrIp: "10.42.0.0/16" }], UserIdGroupPairs: [], Ipv6Ranges: [], PrefixListIds: [] }]);
    const again = refusal(() => ec2.AuthorizeSecurityGroupIngress({ ...nfsFromVpc, GroupId }, call));
    assert.deepEqual([again.code, again.message], ["InvalidPermission.Duplicate", 'the specified rule "peer: 10.42.0.0/16, TCP, from port: 2049, to port: 2049, ALLOW" already exists']);
  });

  it("AuthorizeSecurityGroupIngress takes a source group and refuses an unknown one", () => {
    const { GroupId } = ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "d" }, call);
    ec2.AuthorizeSecurityGroupIngress({ GroupId, IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: clusterSecurityGroupId }] }] }, call);
    const rules = ec2.DescribeSecurityGroupRules({ Filters: [{ Name: "group-id", Values: [GroupId] }] }, call).SecurityGroupRules;
    assert.deepEqual(rules.map((rule) => [rule.IsEgress, rule.ReferencedGroupInfo?.GroupId ?? rule.CidrIpv4]), [[false, clusterSecurityGroupId], [true, "0.0.0.0/0"]]);
    const unknown = refusal(() => ec2.AuthorizeSecurityGroupIngress({ GroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 1, ToPort: 1, UserIdGroupPairs: [{ GroupId: "sg-0000000000000dead" }] }] }, call));
    assert.deepEqual([unknown.code, unknown.message], ["InvalidGroup.NotFound", "The security group 'sg-0000000000000dead' does not exist"]);
  });

  it("RevokeSecurityGroupIngress removes the rule by permission or by id, and reports a permission it does not know", () => {
    const { GroupId } = ec2.CreateSecurityGroup({ GroupName: "efs-sg", Description: "d" }, call);
    const [rule] = ec2.AuthorizeSecurityGroupIngress({ ...nfsFromVpc, GroupId }, call).SecurityGroupRules;
    const revoked = ec2.RevokeSecurityGroupIngress({ ...nfsFromVpc, GroupId }, call);
    assert.deepEqual(revoked.RevokedSecurityGroupRules.map((r) => r.SecurityGroupRuleId), [rule!.SecurityGroupRuleId]);
    assert.deepEqual(ec2.DescribeSecurityGroups({ GroupIds: [GroupId] }, call).SecurityGroups[0]!.IpPermissions, []);
    const unknown = ec2.RevokeSecurityGroupIngress({ ...nfsFromVpc, GroupId }, call);
    assert.equal(unknown.UnknownIpPermissions?.length, 1);
    const [egress] = ec2.DescribeSecurityGroupRules({ Filters: [{ Name: "group-id", Values: [GroupId] }] }, call).SecurityGroupRules;
    ec2.RevokeSecurityGroupEgress({ GroupId, SecurityGroupRuleIds: [egress!.SecurityGroupRuleId] }, call);
    assert.deepEqual(ec2.DescribeSecurityGroups({ GroupIds: [GroupId] }, call).SecurityGroups[0]!.IpPermissionsEgress, []);
  });

  it("RevokeSecurityGroupEgress of an IPv6 range finds nothing to revoke and says so, as Terraform's default-egress clean-up expects", () => {
    const { GroupId } = ec2.CreateSecurityGroup({ GroupName: "tf", Description: "d" }, call);
    const answer = ec2.RevokeSecurityGroupEgress({ GroupId, IpPermissions: [{ IpProtocol: "-1", FromPort: 0, ToPort: 0, Ipv6Ranges: [{ CidrIpv6: "::/0" }] }] }, call);
    assert.deepEqual([answer.Return, answer.UnknownIpPermissions?.length, answer.RevokedSecurityGroupRules.length], [true, 1, 0]);
    assert.equal(refusal(() => ec2.AuthorizeSecurityGroupEgress({ GroupId, IpPermissions: [{ IpProtocol: "-1", Ipv6Ranges: [{ CidrIpv6: "::/0" }] }] }, call)).code, "InvalidParameterValue");
  });

  it("DeleteSecurityGroup deletes a free group, and refuses the default group, a referenced one and a mount target's", () => {
    const free = ec2.CreateSecurityGroup({ GroupName: "free", Description: "d" }, call).GroupId;
    assert.deepEqual(ec2.DeleteSecurityGroup({ GroupId: free }, call), { Return: true, GroupId: free });
    assert.equal(refusal(() => ec2.DescribeSecurityGroups({ GroupIds: [free] }, call)).code, "InvalidGroup.NotFound");
    const defaultGroup = refusal(() => ec2.DeleteSecurityGroup({ GroupId: vpc.defaultSecurityGroupId }, call));
    assert.deepEqual([defaultGroup.code, defaultGroup.message], ["CannotDelete", `the specified group: "${vpc.defaultSecurityGroupId}" name: "default" cannot be deleted by a user`]);
    const source = ec2.CreateSecurityGroup({ GroupName: "source", Description: "d" }, call).GroupId;
    const target = ec2.CreateSecurityGroup({ GroupName: "target", Description: "d" }, call).GroupId;
    ec2.AuthorizeSecurityGroupIngress({ GroupId: target, IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: source }] }] }, call);
    const referenced = refusal(() => ec2.DeleteSecurityGroup({ GroupId: source }, call));
    assert.deepEqual([referenced.code, referenced.message], ["DependencyViolation", `resource ${source} has a dependent object`]);
    store.create({
      apiVersion: "efs.moor.dev/v1",
      kind: "MountTarget",
      metadata: { name: "fsmt-1" },
      spec: { fileSystemId: "fs-1", subnetId: vpc.subnets[0]!.subnetId, ipAddress: "10.42.15.254", securityGroups: [target], availabilityZoneName: "us-east-1a", networkInterfaceId: "eni-1" },
      status: { lifeCycleState: "available" },
    });
    assert.equal(refusal(() => ec2.DeleteSecurityGroup({ GroupName: "target" }, call)).code, "DependencyViolation");
  });

  it("a dry run that would succeed answers DryRunOperation and changes nothing", () => {
    const dry = refusal(() => ec2.CreateSecurityGroup({ GroupName: "dry", Description: "d", DryRun: true } as never, call));
    assert.equal(dry.code, "DryRunOperation");
    assert.equal(ec2.DescribeSecurityGroups({ Filters: [{ Name: "group-name", Values: ["dry"] }] }, call).SecurityGroups.length, 0);
  });
});
