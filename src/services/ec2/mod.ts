// The EC2 service: the networking part of EC2 that Moor's clusters live in. The embedded VPC
// (eksctl's shape: three private subnets that carry pods and mount targets, three public ones),
// more VPCs and subnets on request (they exist as EC2 sees them; pods run only in the embedded
// VPC), each VPC's main route table and default network ACL (read only), availability zones,
// account attributes, a network interface for every address Moor hands out, security groups
// with ingress and egress rules, and tags. Security groups are enforced elsewhere:
// controllers/securitygroups turns them into packet rules, the mount engine checks TCP 2049
// into a mount target.
//
// Contract with the AWS front end: `operations` by the model's operation name, each taking the
// input in the model's member names and a CallContext, returning the output shape's members;
// errors are MoorErrors whose `code` is EC2's error code and whose message is AWS's text.
//
// Lifecycle: `createEc2Service(...)`, then `ensureEmbeddedObjects()` once at start (it writes the
// embedded VPC, its subnets, its default group and the cluster group unless they exist).

import { randomBytes } from "node:crypto";
import { embeddedVpc, type Vpc } from "../../domain/network/mod.js";
import type { Store } from "../../store/mod.js";
import { authorizeSecurityGroupEgress } from "./authorize-security-group-egress.js";
import { authorizeSecurityGroupIngress } from "./authorize-security-group-ingress.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { ensureEmbeddedObjects } from "./_objects.js";
import { createSecurityGroup } from "./create-security-group.js";
import { createSubnet } from "./create-subnet.js";
import { createTags } from "./create-tags.js";
import { createVpc } from "./create-vpc.js";
import { deleteSecurityGroup } from "./delete-security-group.js";
import { deleteSubnet } from "./delete-subnet.js";
import { deleteTags } from "./delete-tags.js";
import { deleteVpc } from "./delete-vpc.js";
import { describeAccountAttributes } from "./describe-account-attributes.js";
import { describeAvailabilityZones } from "./describe-availability-zones.js";
import { describeNetworkAcls } from "./describe-network-acls.js";
import { describeNetworkInterfaces } from "./describe-network-interfaces.js";
import { describeRouteTables } from "./describe-route-tables.js";
import { describeSecurityGroupRules } from "./describe-security-group-rules.js";
import { describeSecurityGroups } from "./describe-security-groups.js";
import { describeSubnets } from "./describe-subnets.js";
import { describeTags } from "./describe-tags.js";
import { describeVpcAttribute } from "./describe-vpc-attribute.js";
import { describeVolumes } from "./describe-volumes.js";
import { describeVpcs } from "./describe-vpcs.js";
import { modifyVpcAttribute } from "./modify-vpc-attribute.js";
import { revokeSecurityGroupEgress } from "./revoke-security-group-egress.js";
import { revokeSecurityGroupIngress } from "./revoke-security-group-ingress.js";
import { describeInstanceAttribute } from "./describe-instance-attribute.js";
import { describeInstanceCreditSpecifications } from "./describe-instance-credit-specifications.js";
import { describeInstanceStatus } from "./describe-instance-status.js";
import { describeInstances } from "./describe-instances.js";
import { describeInstanceTypes } from "./describe-instance-types.js";
import { getConsoleOutput } from "./get-console-output.js";
import { runInstances } from "./run-instances.js";
import { startInstances } from "./start-instances.js";
import { stopInstances } from "./stop-instances.js";
import { terminateInstances } from "./terminate-instances.js";

export type { CallContext } from "./_context.js";
export { instanceTypeShape } from "./_instance-types.js";
export { instanceKind, type InstanceObject, type InstanceSpec, type InstanceStatus, type InstanceStateName, privateDnsName } from "./_instances.js";

const operations = {
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  CreateSecurityGroup: createSecurityGroup,
  CreateSubnet: createSubnet,
  CreateTags: createTags,
  CreateVpc: createVpc,
  DeleteSecurityGroup: deleteSecurityGroup,
  DeleteSubnet: deleteSubnet,
  DeleteTags: deleteTags,
  DeleteVpc: deleteVpc,
  DescribeAccountAttributes: describeAccountAttributes,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeInstanceAttribute: describeInstanceAttribute,
  DescribeInstanceCreditSpecifications: describeInstanceCreditSpecifications,
  DescribeInstanceStatus: describeInstanceStatus,
  DescribeInstances: describeInstances,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeNetworkAcls: describeNetworkAcls,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeRouteTables: describeRouteTables,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSubnets: describeSubnets,
  DescribeTags: describeTags,
  DescribeVpcAttribute: describeVpcAttribute,
  DescribeVolumes: describeVolumes,
  DescribeVpcs: describeVpcs,
  GetConsoleOutput: getConsoleOutput,
  ModifyVpcAttribute: modifyVpcAttribute,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  RunInstances: runInstances,
  StartInstances: startInstances,
  StopInstances: stopInstances,
  TerminateInstances: terminateInstances,
};

type Operations = typeof operations;

/** One method per EC2 action, by the model's operation name. */
export type Ec2Operations = {
  [Name in keyof Operations]: (input: Parameters<Operations[Name]>[1], call: CallContext) => ReturnType<Operations[Name]>;
};

export interface Ec2Service {
  /** botocore's service name, by which the AWS front end finds the model. */
  readonly name: "ec2";
  readonly operations: Ec2Operations;
  ensureEmbeddedObjects(): void;
}

export interface Ec2ServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  clusterName: string;
  vpc?: Vpc;
  /** 17 random hex digits, for new ids. */
  randomHex?: () => string;
  now?: () => Date;
  /** What an instance's console printed so far (GetConsoleOutput). */
  console?: (instanceId: string) => Promise<string>;
}

export function createEc2Service(options: Ec2ServiceOptions): Ec2Service {
  const context: Ec2Context = {
    store: options.store,
    vpc: options.vpc ?? embeddedVpc(options.region),
    region: options.region,
    accountId: options.accountId,
    clusterName: options.clusterName,
    randomHex: options.randomHex ?? (() => randomBytes(9).toString("hex").slice(0, 17)),
    now: options.now ?? (() => new Date()),
    ...(options.console ? { console: options.console } : {}),
  };
  const bound = Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [
      name,
      (input: { DryRun?: boolean } | undefined, call: CallContext) => {
        // EC2's answer to a dry run that would have succeeded is this error.
        if (input?.DryRun === true) throw ec2Error("Invalid", "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        return (operation as (context: Ec2Context, input: unknown, call: CallContext) => unknown)(context, input ?? {}, call);
      },
    ]),
  ) as unknown as Ec2Operations;
  return { name: "ec2", operations: bound, ensureEmbeddedObjects: () => ensureEmbeddedObjects(context) };
}
