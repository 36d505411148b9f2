// Stored EC2 objects in the output shapes' member names (Vpc, Subnet, SecurityGroup,
// SecurityGroupRule), as every describe and create call returns them.

import { permissionsOf, type SecurityGroupObject, type SecurityGroupRule } from "../../domain/securitygroups/mod.js";
import { parseCidr } from "../../domain/securitygroups/mod.js";
import type { CallContext, Ec2Context } from "./_context.js";
import type { SubnetObject, VpcObject } from "./_objects.js";

export function vpcOutput(vpc: VpcObject) {
  const id = vpc.metadata.name;
  return {
    VpcId: id,
    OwnerId: vpc.spec.ownerId,
    State: "available",
    CidrBlock: vpc.spec.cidrBlock,
    CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${id.slice(4)}`, CidrBlock: vpc.spec.cidrBlock, CidrBlockState: { State: "associated" } }],
    Ipv6CidrBlockAssociationSet: [],
    DhcpOptionsId: `dopt-${id.slice(4)}`,
    InstanceTenancy: vpc.spec.instanceTenancy,
    IsDefault: false,
    Tags: vpc.spec.tags,
  };
}

export function subnetOutput(call: CallContext, subnet: SubnetObject, usedAddresses: number) {
  const id = subnet.metadata.name;
  const prefixLength = parseCidr(subnet.spec.cidrBlock)?.prefixLength ?? 32;
  return {
    SubnetId: id,
    SubnetArn: `arn:aws:ec2:${call.region}:${subnet.spec.ownerId}:subnet/${id}`,
    State: "available",
    VpcId: subnet.spec.vpcId,
    CidrBlock: subnet.spec.cidrBlock,
    // AWS keeps five addresses of every subnet for itself.
    AvailableIpAddressCount: Math.max(0, 2 ** (32 - prefixLength) - 5 - usedAddresses),
    AvailabilityZone: subnet.spec.availabilityZone,
    AvailabilityZoneId: subnet.spec.availabilityZoneId,
    DefaultForAz: false,
    MapPublicIpOnLaunch: subnet.spec.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    Ipv6Native: false,
    EnableDns64: false,
    OwnerId: subnet.spec.ownerId,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: subnet.spec.tags,
  };
}

export function groupArn(call: CallContext, group: SecurityGroupObject): string {
  return `arn:aws:ec2:${call.region}:${group.spec.ownerId}:security-group/${group.metadata.name}`;
}

export function groupOutput(call: CallContext, group: SecurityGroupObject) {
  return {
    GroupId: group.metadata.name,
    GroupName: group.spec.groupName,
    Description: group.spec.description,
    VpcId: group.spec.vpcId,
    OwnerId: group.spec.ownerId,
    IpPermissions: permissionsOf(group.spec.ingress, group.spec.ownerId),
    IpPermissionsEgress: permissionsOf(group.spec.egress, group.spec.ownerId),
    Tags: group.spec.tags,
    SecurityGroupArn: groupArn(call, group),
  };
}

export function ruleOutput(context: Ec2Context, call: CallContext, group: SecurityGroupObject, rule: SecurityGroupRule, isEgress: boolean) {
  const ported = ["tcp", "udp", "icmp"].includes(rule.protocol);
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: group.metadata.name,
    GroupOwnerId: group.spec.ownerId,
    IsEgress: isEgress,
    IpProtocol: rule.protocol,
    FromPort: ported ? rule.fromPort : -1,
    ToPort: ported ? rule.toPort : -1,
    ...(rule.cidrIpv4 ? { CidrIpv4: rule.cidrIpv4 } : {}),
    ...(rule.referencedGroupId ? { ReferencedGroupInfo: { GroupId: rule.referencedGroupId, UserId: context.accountId } } : {}),
    ...(rule.description ? { Description: rule.description } : {}),
    Tags: [],
    SecurityGroupRuleArn: `arn:aws:ec2:${call.region}:${group.spec.ownerId}:security-group-rule/${rule.ruleId}`,
  };
}
