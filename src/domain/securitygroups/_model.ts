// The words of EC2 networking as Moor stores them: security groups with their rules kept one
// per peer (as AWS's SecurityGroupRule is), network interfaces (every address Moor hands out),
// and the two groups every cluster starts with.

import type { Vpc } from "../network/mod.js";

export const ec2ApiVersion = "ec2.moor.dev/v1";
export const securityGroupKind = "SecurityGroup";
export const vpcKind = "Vpc";
export const subnetKind = "Subnet";

export interface Tag {
  Key: string;
  Value: string;
}

/** One rule: one protocol and port range, one peer (a CIDR block or a group). */
export interface SecurityGroupRule {
  ruleId: string;
  /** "tcp", "udp", "icmp", "-1" (everything) or another IP protocol number as text. */
  protocol: string;
  /** -1 when the protocol has no ports (for icmp: the type; -1 is every type). */
  fromPort: number;
  /** -1 when the protocol has no ports (for icmp: the code; -1 is every code). */
  toPort: number;
  cidrIpv4?: string;
  referencedGroupId?: string;
  description?: string;
}

export interface SecurityGroupSpec {
  groupName: string;
  description: string;
  vpcId: string;
  ownerId: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  tags: Tag[];
}

export interface SecurityGroupObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; resourceVersion?: string; creationTimestamp?: string };
  spec: SecurityGroupSpec;
}

/** An address Moor handed out and the groups that guard it. */
export interface NetworkInterface {
  networkInterfaceId: string;
  ip: string;
  securityGroupIds: string[];
  subnetId?: string;
  availabilityZone?: string;
  /** What the address belongs to, as EC2's InterfaceType and Description say it. */
  interfaceType: "interface" | "efs" | "fargate";
  description: string;
}

/** The group EKS makes for a cluster: the control plane, managed nodes and Fargate pods get it. */
export const clusterSecurityGroupId = "sg-042a0000000000002";

export function clusterSecurityGroupName(clusterName: string): string {
  return `eks-cluster-sg-${clusterName}-1423072042`;
}

/**
 * A sandbox that Moor runs for an AWS object (an ECS task, an EC2 instance, a DB instance) is a
 * pod carrying its own groups in this annotation, comma-separated, as its ENI would.
 */
export const securityGroupIdsAnnotation = "moor.dev/security-group-ids";

/**
 * The groups of a pod's interface: those its annotation names, else the cluster security group,
 * as on EKS Fargate (no SecurityGroupPolicy yet).
 */
export function podSecurityGroupIds(annotations?: Record<string, string>): string[] {
  const named = annotations?.[securityGroupIdsAnnotation]?.split(",").map((id) => id.trim()).filter((id) => id !== "");
  return named && named.length > 0 ? named : [clusterSecurityGroupId];
}

const everything = { protocol: "-1", fromPort: -1, toPort: -1 } as const;

/**
 * The VPC's `default` group and the cluster's group, as `moor up` makes them. Both allow all
 * traffic from their own members and all egress. Moor's own choice beyond AWS: the embedded
 * VPC's default group also allows all traffic from the cluster group, so that a mount target
 * made without groups serves the cluster's pods (on AWS it would not; revoke the rule to get
 * AWS's behaviour).
 */
export function initialSecurityGroups(vpc: Vpc, accountId: string, clusterName: string): SecurityGroupObject[] {
  const egress: SecurityGroupRule[] = [{ ruleId: "sgr-042a0000000000001", ...everything, cidrIpv4: "0.0.0.0/0" }];
  const group = (id: string, groupName: string, description: string, ingress: SecurityGroupRule[], egressId: string): SecurityGroupObject => ({
    apiVersion: ec2ApiVersion,
    kind: securityGroupKind,
    metadata: { name: id },
    spec: { groupName, description, vpcId: vpc.vpcId, ownerId: accountId, ingress, egress: [{ ...egress[0]!, ruleId: egressId }], tags: [] },
  });
  return [
    group(
      vpc.defaultSecurityGroupId,
      "default",
      "default VPC security group",
      [
        { ruleId: "sgr-042a0000000000002", ...everything, referencedGroupId: vpc.defaultSecurityGroupId },
        { ruleId: "sgr-042a0000000000003", ...everything, referencedGroupId: clusterSecurityGroupId, description: "Moor: the cluster's pods reach mount targets made without groups" },
      ],
      "sgr-042a0000000000001",
    ),
    group(
      clusterSecurityGroupId,
      clusterSecurityGroupName(clusterName),
      "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
      [{ ruleId: "sgr-042a0000000000005", ...everything, referencedGroupId: clusterSecurityGroupId }],
      "sgr-042a0000000000004",
    ),
  ];
}
