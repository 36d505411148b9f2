// The EC2 objects in the store (kinds Vpc, Subnet and SecurityGroup in the ec2.moor.dev group,
// named by their ids), the ones `moor up` starts with, and finding them by id as EC2's errors say.
//
// The embedded VPC is eksctl's shape: its three private subnets are the ones pods and mount
// targets use (src/domain/network); three public ones, tagged for internet-facing load
// balancers, exist as EC2 sees them, with nothing wired to them yet.

import {
  ec2ApiVersion,
  initialSecurityGroups,
  type SecurityGroupObject,
  securityGroupKind,
  subnetKind,
  type Tag,
  vpcKind,
} from "../../domain/securitygroups/mod.js";
import { type Ec2Context, ec2Error } from "./_context.js";

export interface VpcSpec {
  cidrBlock: string;
  ownerId: string;
  defaultSecurityGroupId: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  enableNetworkAddressUsageMetrics: boolean;
  instanceTenancy: string;
  tags: Tag[];
}

export interface SubnetSpec {
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  mapPublicIpOnLaunch: boolean;
  ownerId: string;
  tags: Tag[];
}

export interface VpcObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: VpcSpec;
}

export interface SubnetObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: SubnetSpec;
}

const publicSubnetThirdOctets = [128, 144, 160];

function subnetName(clusterName: string, kind: "Public" | "Private", zone: string): string {
  return `eksctl-${clusterName}-cluster/Subnet${kind}${zone.replace(/-/g, "").toUpperCase()}`;
}

/** The embedded VPC, its six subnets and its two groups, as stored objects. */
export function embeddedObjects(context: Ec2Context): (VpcObject | SubnetObject | SecurityGroupObject)[] {
  const { vpc, accountId, clusterName } = context;
  const owned = { Key: `kubernetes.io/cluster/${clusterName}`, Value: "shared" };
  const subnet = (subnetId: string, cidrBlock: string, zone: { availabilityZone: string; availabilityZoneId: string }, isPublic: boolean): SubnetObject => ({
    apiVersion: ec2ApiVersion,
    kind: subnetKind,
    metadata: { name: subnetId },
    spec: {
      vpcId: vpc.vpcId,
      cidrBlock,
      availabilityZone: zone.availabilityZone,
      availabilityZoneId: zone.availabilityZoneId,
      mapPublicIpOnLaunch: isPublic,
      ownerId: accountId,
      tags: [
        { Key: "Name", Value: subnetName(clusterName, isPublic ? "Public" : "Private", zone.availabilityZone) },
        { Key: isPublic ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb", Value: "1" },
        owned,
      ],
    },
  });
  const vpcObject: VpcObject = {
    apiVersion: ec2ApiVersion,
    kind: vpcKind,
    metadata: { name: vpc.vpcId },
    spec: {
      cidrBlock: vpc.cidrBlock,
      ownerId: accountId,
      defaultSecurityGroupId: vpc.defaultSecurityGroupId,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      enableNetworkAddressUsageMetrics: false,
      instanceTenancy: "default",
      tags: [{ Key: "Name", Value: `eksctl-${clusterName}-cluster/VPC` }, { Key: "alpha.eksctl.io/cluster-name", Value: clusterName }],
    },
  };
  return [
    vpcObject,
    ...vpc.subnets.map((private_) => subnet(private_.subnetId, private_.cidrBlock, private_, false)),
    ...vpc.subnets.map((zone, index) => subnet(`subnet-042a${(0x11 + index).toString(16).padStart(13, "0")}`, `10.42.${publicSubnetThirdOctets[index]}.0/20`, zone, true)),
    ...initialSecurityGroups(vpc, accountId, clusterName),
  ];
}

/** Writes what `moor up` starts with, once: objects a user deleted or changed stay so. */
export function ensureEmbeddedObjects(context: Ec2Context): void {
  const { store } = context;
  store.transaction(() => {
    if (store.get({ kind: vpcKind, name: context.vpc.vpcId })) return;
    for (const object of embeddedObjects(context)) {
      if (!store.get({ kind: object.kind, name: object.metadata.name })) store.create(object);
    }
  });
}

export function isEmbeddedSubnet(context: Ec2Context, subnetId: string): boolean {
  return context.vpc.subnets.some((subnet) => subnet.subnetId === subnetId);
}

export function listVpcs(context: Ec2Context): VpcObject[] {
  return context.store.list(vpcKind).items as VpcObject[];
}

export function listSubnets(context: Ec2Context): SubnetObject[] {
  return context.store.list(subnetKind).items as SubnetObject[];
}

export function listGroups(context: Ec2Context): SecurityGroupObject[] {
  return context.store.list(securityGroupKind).items as SecurityGroupObject[];
}

export function requireVpc(context: Ec2Context, vpcId: string): VpcObject {
  const found = context.store.get({ kind: vpcKind, name: vpcId }) as VpcObject | undefined;
  if (!found) throw ec2Error("NotFound", "InvalidVpcID.NotFound", `The vpc ID '${vpcId}' does not exist`);
  return found;
}

export function requireSubnet(context: Ec2Context, subnetId: string): SubnetObject {
  const found = context.store.get({ kind: subnetKind, name: subnetId }) as SubnetObject | undefined;
  if (!found) throw ec2Error("NotFound", "InvalidSubnetID.NotFound", `The subnet ID '${subnetId}' does not exist`);
  return found;
}

export function requireGroup(context: Ec2Context, groupId: string): SecurityGroupObject {
  if (!/^sg-[0-9a-f]+$/.test(groupId)) throw ec2Error("Invalid", "InvalidGroupId.Malformed", `Invalid id: "${groupId}" (expecting "sg-...")`);
  const found = context.store.get({ kind: securityGroupKind, name: groupId }) as SecurityGroupObject | undefined;
  if (!found) throw ec2Error("NotFound", "InvalidGroup.NotFound", `The security group '${groupId}' does not exist`);
  return found;
}

/** A group named in the embedded VPC (EC2's "default VPC" for calls that name groups). */
export function requireGroupNamed(context: Ec2Context, groupName: string): SecurityGroupObject {
  const found = listGroups(context).find((group) => group.spec.groupName === groupName && group.spec.vpcId === context.vpc.vpcId);
  if (!found) throw ec2Error("NotFound", "InvalidGroup.NotFound", `The security group '${groupName}' does not exist in default VPC '${context.vpc.vpcId}'`);
  return found;
}

/** The group a call names by GroupId or else GroupName. */
export function groupOfCall(context: Ec2Context, input: { GroupId?: string; GroupName?: string }): SecurityGroupObject {
  if (input.GroupId) return requireGroup(context, input.GroupId);
  if (input.GroupName) return requireGroupNamed(context, input.GroupName);
  throw ec2Error("Invalid", "MissingParameter", "The request must contain the parameter groupName or groupId");
}

export interface TagSpecification {
  ResourceType?: string;
  Tags?: Tag[];
}

/** The tags a create call's TagSpecifications give the resource type it creates. */
export function tagsFor(resourceType: string, specifications: readonly TagSpecification[] | undefined): Tag[] {
  return (specifications ?? []).filter((spec) => spec.ResourceType === resourceType).flatMap((spec) => spec.Tags ?? []);
}
