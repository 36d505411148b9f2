// The mount check of security groups: a pod reaches a mount target only when one of the mount
// target's groups admits TCP 2049 from the pod, as NFS needs on AWS; Moor refuses at once and
// names the groups and the port where AWS lets the mount hang.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ObjectKey, StoredObject } from "../../domain/objects/mod.js";
import { clusterSecurityGroupId, type SecurityGroupRule } from "../../domain/securitygroups/mod.js";
import { isMoorError } from "../../errors/mod.js";
import { MountEngine } from "./mod.js";

const fsId = "fs-0123456789abcdef0";
const groupId = "sg-0000000000000000e";

const everywhere: SecurityGroupRule = { ruleId: "e", protocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" };

function engineWith(ingress: SecurityGroupRule[], podEgress: SecurityGroupRule[] = [everywhere]): MountEngine {
  const objects: StoredObject[] = [
    { apiVersion: "efs.moor.dev/v1", kind: "FileSystem", metadata: { name: fsId }, spec: { creationToken: "t", tags: [], lifecyclePolicies: [] }, status: { lifeCycleState: "available" } },
    {
      apiVersion: "efs.moor.dev/v1",
      kind: "MountTarget",
      metadata: { name: "fsmt-0123456789abcdef0" },
      spec: { fileSystemId: fsId, availabilityZoneName: "us-east-1a", ipAddress: "10.42.15.254", securityGroups: [groupId] },
      status: { lifeCycleState: "available" },
    },
    { apiVersion: "ec2.moor.dev/v1", kind: "SecurityGroup", metadata: { name: groupId }, spec: { groupName: "efs-sg", description: "d", vpcId: "vpc-1", ownerId: "1", ingress, egress: [], tags: [] } },
    { apiVersion: "ec2.moor.dev/v1", kind: "SecurityGroup", metadata: { name: clusterSecurityGroupId }, spec: { groupName: "cluster", description: "d", vpcId: "vpc-1", ownerId: "1", ingress: [], egress: podEgress, tags: [] } },
  ];
  return new MountEngine({
    store: {
      get: (key: ObjectKey) => objects.find((object) => object.kind === key.kind && object.metadata.name === key.name),
      list: (kind) => ({ items: objects.filter((object) => object.kind === kind) }),
    },
    backingRoot: "/nonexistent",
    client: { region: "us-east-1", accountId: "000000000000", principalArn: "arn:aws:iam::000000000000:role/moor" },
    enforced: { mount: async () => ({ unmount: async () => {} }) },
  });
}

const pod = { ip: "10.42.0.9", securityGroupIds: [clusterSecurityGroupId] };
const request = { target: fsId, zone: "us-east-1a", source: pod };

describe("mount engine: security groups", () => {
  it("refuses a pod whose mount target's groups have no rule for TCP 2049, naming the group and the port", () => {
    const engine = engineWith([{ ruleId: "r", protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.42.0.0/16" }]);
    assert.throws(
      () => engine.resolve(request),
      (error) => isMoorError(error) && error.category === "Unavailable" && error.message.includes(`"${groupId}"`) && error.message.includes("TCP port 2049") && error.message.includes('"10.42.0.9"'),
    );
  });

  it("admits the pod once a rule allows 2049 from its CIDR, or all traffic from its group", () => {
    assert.equal(engineWith([{ ruleId: "r", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" }]).resolve(request).fileSystemId, fsId);
    assert.equal(engineWith([{ ruleId: "r", protocol: "-1", fromPort: -1, toPort: -1, referencedGroupId: clusterSecurityGroupId }]).resolve(request).fileSystemId, fsId);
  });

  it("refuses a pod whose own groups let no TCP 2049 out to the mount target, naming them", () => {
    const nfsFromVpc = [{ ruleId: "r", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" }];
    const engine = engineWith(nfsFromVpc, [{ ruleId: "e", protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }]);
    assert.throws(() => engine.resolve(request), (error) => isMoorError(error) && error.message.includes(`outbound rule of the client's security groups "${clusterSecurityGroupId}" allows TCP port 2049`));
    const toTargetsGroup = [{ ruleId: "e", protocol: "tcp", fromPort: 2049, toPort: 2049, referencedGroupId: groupId }];
    assert.equal(engineWith(nfsFromVpc, toTargetsGroup).resolve(request).fileSystemId, fsId);
  });

  it("checks nothing for a client without an address (a host mount through moor efs mount)", () => {
    assert.equal(engineWith([]).resolve({ target: fsId, zone: "us-east-1a" }).fileSystemId, fsId);
  });
});
