// The EC2 service's instances over the in-memory store, with counted ids and a fixed clock:
// RunInstances' reservation and defaults, DescribeInstances' filters, the state changes Stop,
// Start and Terminate make at once, the attributes Terraform reads, and EC2's refusals.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { embeddedVpc } from "../../domain/network/mod.js";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEc2Service, type Ec2Operations, instanceKind } from "./mod.js";

const region = "us-east-1";
const call = { region, accountId: "123456789012", requestId: "r-1" };
const vpc = embeddedVpc(region);
const ami = "ami-0abcdef1234567890";
let store: Store;
let ec2: Ec2Operations;

beforeEach(() => {
  store = createMemoryStore();
  let counter = 0;
  const service = createEc2Service({ store, region, accountId: "123456789012", clusterName: "moor", randomHex: () => (++counter).toString(16).padStart(17, "0"), now: () => new Date("2026-03-01T10:00:00Z") });
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

/** Plays the instance controller: the instance runs at this address. */
function markRunning(id: string, address: string): void {
  const instance = store.get({ kind: instanceKind, name: id })!;
  store.update({ ...instance, status: { ...instance.status, state: "running", privateIpAddress: address, userDataDelivered: true } });
}

describe("the EC2 service's instances", () => {
  it("RunInstances makes MaxCount pending instances in one reservation, in the first private subnet with the VPC's default group", () => {
    const run = ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 2, InstanceType: "t3.micro", UserData: Buffer.from("#!/bin/sh\n").toString("base64") }, call);
    assert.match(run.ReservationId, /^r-[0-9a-f]{17}$/);
    assert.deepEqual(run.Instances.map((instance) => [instance.State, instance.AmiLaunchIndex, instance.SubnetId, instance.Placement.AvailabilityZone]), [
      [{ Code: 0, Name: "pending" }, 0, vpc.subnets[0]!.subnetId, "us-east-1a"],
      [{ Code: 0, Name: "pending" }, 1, vpc.subnets[0]!.subnetId, "us-east-1a"],
    ]);
    assert.deepEqual(run.Instances[0]!.SecurityGroups, [{ GroupId: vpc.defaultSecurityGroupId, GroupName: "default" }]);
    assert.deepEqual(run.Instances[0]!.LaunchTime, new Date("2026-03-01T10:00:00Z"));
  });

  it("RunInstances refuses a malformed AMI id, an unknown instance type, bad base64 and a foreign subnet's group", () => {
    assert.equal(refusal(() => ec2.RunInstances({ ImageId: "debian", MinCount: 1, MaxCount: 1 }, call)).code, "InvalidAMIID.Malformed");
    assert.equal(refusal(() => ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: "t9.huge" }, call)).message, "Invalid value 't9.huge' for InstanceType.");
    assert.equal(refusal(() => ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, UserData: "not base64!" }, call)).message, "Invalid BASE64 encoding of user data.");
    assert.equal(refusal(() => ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, SubnetId: "subnet-0000000000000dead" }, call)).code, "InvalidSubnetID.NotFound");
    const other = ec2.CreateVpc({ CidrBlock: "10.9.0.0/16" }, call).Vpc.VpcId;
    const foreign = ec2.CreateSecurityGroup({ GroupName: "x", Description: "x", VpcId: other }, call).GroupId;
    assert.equal(refusal(() => ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, SecurityGroupIds: [foreign] }, call)).code, "InvalidParameter");
  });

  it("RunInstances keeps the IAM instance profile named by name or ARN, and refuses an unknown one as EC2 does", () => {
    const arn = "arn:aws:iam::123456789012:instance-profile/web";
    store.create({ apiVersion: "iam.moor.dev/v1", kind: "IamInstanceProfile", metadata: { name: "web" }, spec: { instanceProfileName: "web", arn, instanceProfileId: "AIPA00000000000000001", roles: [] } });
    const byName = ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: "web" } }, call).Instances[0]!;
    assert.deepEqual(byName.IamInstanceProfile, { Arn: arn, Id: "AIPA00000000000000001" });
    assert.equal(ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, IamInstanceProfile: { Arn: arn } }, call).Instances[0]!.IamInstanceProfile?.Arn, arn);
    const unknown = refusal(() => ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: "none" } }, call));
    assert.deepEqual([unknown.code, unknown.message], ["InvalidParameterValue", "Value (none) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"]);
  });

  it("DescribeInstances filters by instance-state-name and tag:Name, and names unknown ids as EC2 does", () => {
    const tagged = ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }] }, call).Instances[0]!.InstanceId;
    const other = ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1 }, call).Instances[0]!.InstanceId;
    markRunning(other, "10.42.0.7");
    const ids = (filters: { Name: string; Values: string[] }[]) => ec2.DescribeInstances({ Filters: filters }, call).Reservations.flatMap((reservation) => reservation.Instances.map((instance) => instance.InstanceId));
    assert.deepEqual(ids([{ Name: "tag:Name", Values: ["web"] }]), [tagged]);
    assert.deepEqual(ids([{ Name: "instance-state-name", Values: ["running"] }]), [other]);
    const running = ec2.DescribeInstances({ InstanceIds: [other] }, call).Reservations[0]!.Instances[0]!;
    assert.deepEqual([running.PrivateIpAddress, running.PrivateDnsName], ["10.42.0.7", "ip-10-42-0-7.ec2.internal"]);
    assert.equal(refusal(() => ec2.DescribeInstances({ InstanceIds: ["i-0000000000000dead"] }, call)).message, "The instance ID 'i-0000000000000dead' does not exist");
  });

  it("StopInstances, StartInstances and TerminateInstances answer the transition at once; a terminated instance cannot start", () => {
    const id = ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1 }, call).Instances[0]!.InstanceId;
    markRunning(id, "10.42.0.7");
    assert.deepEqual(ec2.StopInstances({ InstanceIds: [id] }, call).StoppingInstances[0], { InstanceId: id, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 16, Name: "running" } });
    const stopped = store.get({ kind: instanceKind, name: id })!;
    store.update({ ...stopped, status: { ...stopped.status, state: "stopped" } });
    assert.equal(ec2.StartInstances({ InstanceIds: [id] }, call).StartingInstances[0]!.CurrentState.Name, "pending");
    assert.equal(ec2.TerminateInstances({ InstanceIds: [id] }, call).TerminatingInstances[0]!.CurrentState.Name, "shutting-down");
    assert.equal(refusal(() => ec2.StartInstances({ InstanceIds: [id] }, call)).code, "IncorrectInstanceState");
  });

  it("DescribeInstanceAttribute gives back the user data as sent; credit specifications list burstable types only", () => {
    const userData = Buffer.from("#!/bin/bash\necho hi\n").toString("base64");
    const [burstable, general] = [ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro", UserData: userData }, call), ec2.RunInstances({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: "m5.large" }, call)].map((run) => run.Instances[0]!.InstanceId);
    assert.deepEqual(ec2.DescribeInstanceAttribute({ InstanceId: burstable!, Attribute: "userData" }, call), { InstanceId: burstable, UserData: { Value: userData } });
    const { InstanceCreditSpecifications } = ec2.DescribeInstanceCreditSpecifications({ InstanceIds: [burstable!, general!] }, call);
    assert.deepEqual(InstanceCreditSpecifications, [{ InstanceId: burstable, CpuCredits: "unlimited" }]);
    assert.deepEqual(ec2.DescribeInstanceTypes({ InstanceTypes: ["m5.large"] }, call).InstanceTypes[0]!.MemoryInfo, { SizeInMiB: 8192 });
  });
});
