import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { embeddedVpc } from "../network/mod.js";
import {
  admittingGroup,
  cidrContains,
  clusterSecurityGroupId,
  describeRule,
  initialSecurityGroups,
  type NetworkInterface,
  networkInterfacesOf,
  normalizeProtocol,
  permissionsOf,
  renderRuleset,
  rulesOf,
  type SecurityGroupObject,
} from "./mod.js";

const vpc = embeddedVpc("us-east-1");
const efsGroup = (ingress: SecurityGroupObject["spec"]["ingress"]): SecurityGroupObject => ({
  apiVersion: "ec2.moor.dev/v1",
  kind: "SecurityGroup",
  metadata: { name: "sg-0000000000000000e" },
  spec: { groupName: "efs-sg", description: "EFS", vpcId: vpc.vpcId, ownerId: "123456789012", ingress, egress: [], tags: [] },
});
const nfs = { protocol: "tcp" as const, port: 2049 };
const pod = { ip: "10.42.0.9", securityGroupIds: [clusterSecurityGroupId] };

describe("permissions", () => {
  it("rulesOf() makes one rule per peer and normalizes the protocol", () => {
    const rules = rulesOf(
      { IpProtocol: "6", FromPort: 2049, ToPort: 2049, IpRanges: [{ CidrIp: "10.42.0.0/16" }], UserIdGroupPairs: [{ GroupId: "sg-1" }] },
      (pair) => pair.GroupId!,
    );
    assert.deepEqual(rules, [
      { protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" },
      { protocol: "tcp", fromPort: 2049, toPort: 2049, referencedGroupId: "sg-1" },
    ]);
  });

  it("rulesOf() refuses a malformed CIDR, a bad port range and a permission without peers, with EC2's codes", () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return "none";
    };
    const id = () => "sg-1";
    assert.equal(code(() => rulesOf({ IpProtocol: "tcp", FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: "10.42.0.0/33" }] }, id)), "InvalidParameterValue");
    assert.equal(code(() => rulesOf({ IpProtocol: "tcp", FromPort: 9, ToPort: 1, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }, id)), "InvalidParameterValue");
    assert.equal(code(() => rulesOf({ IpProtocol: "tcp", FromPort: 1, ToPort: 1 }, id)), "MissingParameter");
    assert.equal(code(() => normalizeProtocol("gre-ish")), "InvalidParameterValue");
  });

  it("permissionsOf() groups rules by protocol and ports, and all-traffic rules carry no ports", () => {
    const permissions = permissionsOf(
      [
        { ruleId: "sgr-1", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" },
        { ruleId: "sgr-2", protocol: "tcp", fromPort: 2049, toPort: 2049, referencedGroupId: "sg-2" },
        { ruleId: "sgr-3", protocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" },
      ],
      "123456789012",
    );
    assert.equal(permissions.length, 2);
    assert.deepEqual(permissions[0]!.IpRanges, [{ CidrIp: "10.42.0.0/16" }]);
    assert.deepEqual(permissions[0]!.UserIdGroupPairs, [{ GroupId: "sg-2", UserId: "123456789012" }]);
    assert.equal(permissions[1]!.FromPort, undefined);
  });

  it("describeRule() reads as AWS's InvalidPermission.Duplicate message does", () => {
    assert.equal(describeRule({ protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" }), "peer: 10.42.0.0/16, TCP, from port: 2049, to port: 2049, ALLOW");
  });

  it("cidrContains() takes the block's prefix, not its written base", () => {
    assert.ok(cidrContains("10.42.0.0/16", "10.42.200.1"));
    assert.ok(cidrContains("10.42.7.7/16", "10.42.0.1"));
    assert.ok(!cidrContains("10.42.0.0/16", "10.43.0.1"));
    assert.ok(cidrContains("0.0.0.0/0", "192.168.1.1"));
  });
});

describe("ingress", () => {
  it("admittingGroup() finds no group for NFS when only SSH is allowed, and the group once 2049 is", () => {
    assert.equal(admittingGroup([efsGroup([{ ruleId: "r", protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.42.0.0/16" }])], pod, nfs), undefined);
    const allowed = efsGroup([{ ruleId: "r", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" }]);
    assert.equal(admittingGroup([allowed], pod, nfs), allowed);
  });

  it("admittingGroup() admits by group membership and refuses an address outside the CIDR", () => {
    const byGroup = efsGroup([{ ruleId: "r", protocol: "-1", fromPort: -1, toPort: -1, referencedGroupId: clusterSecurityGroupId }]);
    assert.ok(admittingGroup([byGroup], pod, nfs));
    assert.equal(admittingGroup([byGroup], { ip: pod.ip, securityGroupIds: [] }, nfs), undefined);
    const elsewhere = efsGroup([{ ruleId: "r", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "192.168.0.0/16" }]);
    assert.equal(admittingGroup([elsewhere], pod, nfs), undefined);
  });

  it("the embedded VPC's default group admits the cluster's pods and the cluster group admits itself", () => {
    const [defaultGroup, clusterGroup] = initialSecurityGroups(vpc, "123456789012", "moor");
    assert.equal(defaultGroup!.metadata.name, vpc.defaultSecurityGroupId);
    assert.equal(defaultGroup!.spec.groupName, "default");
    assert.ok(admittingGroup([defaultGroup!], pod, nfs));
    assert.ok(admittingGroup([clusterGroup!], pod, { protocol: "tcp", port: 8080 }));
    assert.deepEqual(defaultGroup!.spec.egress.map((rule) => rule.cidrIpv4), ["0.0.0.0/0"]);
  });
});

describe("interfaces and the ruleset", () => {
  const interfaces: NetworkInterface[] = networkInterfacesOf(vpc, {
    pods: [
      { metadata: { name: "a", namespace: "default", uid: "0a1b2c3d-0000-4000-8000-000000000001" }, status: { podIP: "10.42.0.9", phase: "Running" } },
      { metadata: { name: "b", namespace: "default", uid: "0a1b2c3d-0000-4000-8000-000000000002" }, status: { podIP: "10.42.16.9", phase: "Running" } },
      { metadata: { name: "pending", uid: "0a1b2c3d-0000-4000-8000-000000000003" }, status: {} },
    ],
    mountTargets: [
      {
        metadata: { name: "fsmt-1" },
        spec: { ipAddress: "10.42.15.254", securityGroups: ["sg-0000000000000000e"], networkInterfaceId: "eni-0000000000000000e", subnetId: vpc.subnets[0]!.subnetId, availabilityZoneName: "us-east-1a", fileSystemId: "fs-1" },
      },
    ],
    nodes: [{ metadata: { name: "fargate-ip-10-42-0-9", uid: "u", labels: { "eks.amazonaws.com/compute-type": "fargate" } }, status: { addresses: [{ type: "InternalIP", address: "10.42.0.9" }] } }],
  });

  it("networkInterfacesOf() gives each addressed pod and each mount target an interface, and Fargate nodes none", () => {
    assert.deepEqual(
      interfaces.map((eni) => [eni.networkInterfaceId, eni.ip, eni.subnetId, eni.securityGroupIds.join()]),
      [
        ["eni-08000000000000001", "10.42.0.9", vpc.subnets[0]!.subnetId, clusterSecurityGroupId],
        ["eni-08000000000000002", "10.42.16.9", vpc.subnets[1]!.subnetId, clusterSecurityGroupId],
        ["eni-0000000000000000e", "10.42.15.254", vpc.subnets[0]!.subnetId, "sg-0000000000000000e"],
      ],
    );
  });

  it("networkInterfacesOf() gives a sandbox pod the groups its annotation names instead of the cluster group", () => {
    const [eni] = networkInterfacesOf(vpc, {
      pods: [{ metadata: { name: "task", namespace: "aws-ecs", uid: "9", annotations: { "moor.dev/security-group-ids": "sg-0000000000000000a, sg-0000000000000000b" } }, status: { podIP: "10.42.0.20", phase: "Running" } }],
      mountTargets: [],
      nodes: [],
    });
    assert.deepEqual(eni?.securityGroupIds, ["sg-0000000000000000a", "sg-0000000000000000b"]);
  });

  it("renderRuleset() replaces its own table atomically and jumps each known address to its interface's chain", () => {
    const text = renderRuleset(initialSecurityGroups(vpc, "123456789012", "moor"), interfaces);
    const lines = text.split("\n");
    assert.deepEqual(lines.slice(0, 3), ["table inet moor_sg", "delete table inet moor_sg", "table inet moor_sg {"]);
    assert.ok(lines.includes("    ct state established,related accept"));
    assert.ok(lines.includes("    ip daddr 10.42.0.9 jump in_eni_08000000000000001"));
    // The cluster group admits its members: both pods' addresses.
    assert.ok(lines.includes("    ip saddr { 10.42.0.9, 10.42.16.9 } accept"), text);
  });

  it("renderRuleset() turns an NFS rule into a port match and refuses the rest with a reset", () => {
    const group = efsGroup([{ ruleId: "r", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrIpv4: "10.42.0.0/16" }]);
    const text = renderRuleset([group], interfaces);
    const chain = text.slice(text.indexOf("chain in_eni_0000000000000000e"));
    assert.match(chain, /^ {4}ip saddr 10\.42\.0\.0\/16 tcp dport 2049 accept$/m);
    assert.match(chain, /^ {4}meta l4proto tcp reject with tcp reset$/m);
  });

  it("renderRuleset() sends a packet from an interface through its egress chain first, which returns what a rule allows", () => {
    const group = efsGroup([]);
    group.spec.egress = [{ ruleId: "e", protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.42.0.0/16" }];
    const lines = renderRuleset([group], interfaces).split("\n");
    const firstIn = lines.findIndex((line) => line.includes("ip daddr"));
    assert.ok(lines.findIndex((line) => line === "    ip saddr 10.42.15.254 jump out_eni_0000000000000000e") < firstIn);
    const chain = lines.slice(lines.indexOf("  chain out_eni_0000000000000000e {"));
    assert.deepEqual(chain.slice(1, 4), ["    ip daddr 10.42.0.0/16 tcp dport 443 return", "    meta l4proto tcp reject with tcp reset", "    reject"]);
  });

  it("renderRuleset() leaves out a rule whose group has no members, and a port range reads from-to", () => {
    const group = efsGroup([
      { ruleId: "r1", protocol: "tcp", fromPort: 1, toPort: 1, referencedGroupId: "sg-nobody" },
      { ruleId: "r2", protocol: "udp", fromPort: 1000, toPort: 2000, cidrIpv4: "0.0.0.0/0" },
    ]);
    const text = renderRuleset([group], interfaces);
    assert.ok(!text.includes("sg-nobody") && !text.includes("dport 1 accept"));
    assert.match(text, /^ {4}udp dport 1000-2000 accept$/m);
  });
});
