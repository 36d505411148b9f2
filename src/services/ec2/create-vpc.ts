// CreateVpc: an IPv4 block from /16 to /28, and the VPC's own `default` group with it. A VPC
// made this way exists as EC2 sees it; pods run only in the embedded one.

import { ec2ApiVersion, type SecurityGroupObject, securityGroupKind, type Tag, vpcKind } from "../../domain/securitygroups/mod.js";
import { parseCidr } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error, newId } from "./_context.js";
import { vpcOutput } from "./_describe.js";
import { type TagSpecification, tagsFor, type VpcObject } from "./_objects.js";

export interface CreateVpcInput {
  CidrBlock?: string;
  InstanceTenancy?: string;
  AmazonProvidedIpv6CidrBlock?: boolean;
  Ipv4IpamPoolId?: string;
  TagSpecifications?: TagSpecification[];
}

export function createVpc(context: Ec2Context, input: CreateVpcInput, _call: CallContext) {
  if (input.Ipv4IpamPoolId || input.AmazonProvidedIpv6CidrBlock) throw ec2Error("Unsupported", "InvalidParameterValue", "IPAM pools and IPv6 blocks are not supported in Moor");
  const cidrBlock = input.CidrBlock ?? "";
  const parsed = parseCidr(cidrBlock);
  if (!parsed) throw ec2Error("Invalid", "InvalidParameterValue", `Value (${cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (parsed.prefixLength < 16 || parsed.prefixLength > 28) throw ec2Error("Invalid", "InvalidVpc.Range", `The CIDR '${cidrBlock}' is invalid.`);
  const vpcId = newId(context, "vpc");
  const groupId = newId(context, "sg");
  const vpc: VpcObject = {
    apiVersion: ec2ApiVersion,
    kind: vpcKind,
    metadata: { name: vpcId },
    spec: {
      cidrBlock,
      ownerId: context.accountId,
      defaultSecurityGroupId: groupId,
      enableDnsSupport: true,
      enableDnsHostnames: false,
      enableNetworkAddressUsageMetrics: false,
      instanceTenancy: input.InstanceTenancy ?? "default",
      tags: tagsFor("vpc", input.TagSpecifications),
    },
  };
  const everything = { protocol: "-1", fromPort: -1, toPort: -1 };
  const group: SecurityGroupObject = {
    apiVersion: ec2ApiVersion,
    kind: securityGroupKind,
    metadata: { name: groupId },
    spec: {
      groupName: "default",
      description: "default VPC security group",
      vpcId,
      ownerId: context.accountId,
      ingress: [{ ruleId: newId(context, "sgr"), ...everything, referencedGroupId: groupId }],
      egress: [{ ruleId: newId(context, "sgr"), ...everything, cidrIpv4: "0.0.0.0/0" }],
      tags: [] as Tag[],
    },
  };
  context.store.transaction(() => {
    context.store.create(vpc);
    context.store.create(group);
  });
  return { Vpc: { ...vpcOutput(vpc), State: "pending" } };
}
