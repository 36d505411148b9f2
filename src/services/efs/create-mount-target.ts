// CreateMountTarget → MountTargetDescription, `creating`. Subnets are the embedded VPC's three
// (SubnetNotFound otherwise); one mount target per zone (MountTargetConflict); One Zone file
// systems only in their zone (AvailabilityZonesMismatch); the address is the requested one if
// free, else one from the subnet; security groups are the VPC's (its default when none are given).

import {
  badRequest,
  checkPlacement,
  efsApiVersion,
  fileSystemIdShape,
  fileSystemLabel,
  findSubnet,
  ipAddressShape,
  ipAddressTypeShape,
  ipv6AddressShape,
  type MountTargetObject,
  mountTargetAddress,
  mountTargetKind,
  mountTargetSecurityGroups,
  newMountTargetId,
  newNetworkInterfaceId,
  securityGroupsShape,
  subnetIdShape,
} from "../../domain/efs/mod.js";
import { type EfsContext, isVpcSecurityGroup } from "./_context.js";
import { describeMountTarget, type MountTargetDescription } from "./_describe.js";
import { checkBody, requireFileSystem, requireState, type StructureShape } from "./_operation.js";

const action = "Cannot create mount target";

const inputShape: StructureShape = {
  type: "structure",
  required: ["FileSystemId", "SubnetId"],
  members: {
    FileSystemId: fileSystemIdShape,
    SubnetId: subnetIdShape,
    IpAddress: ipAddressShape,
    Ipv6Address: ipv6AddressShape,
    IpAddressType: ipAddressTypeShape,
    SecurityGroups: securityGroupsShape,
  },
};

export interface CreateMountTargetInput {
  FileSystemId: string;
  SubnetId: string;
  IpAddress?: string;
  Ipv6Address?: string;
  IpAddressType?: string;
  SecurityGroups?: string[];
}

export function createMountTarget(context: EfsContext, input: CreateMountTargetInput): MountTargetDescription {
  const request = checkBody<CreateMountTargetInput>(input, inputShape, action);
  if (request.Ipv6Address !== undefined || (request.IpAddressType !== undefined && request.IpAddressType !== "IPV4_ONLY")) {
    throw badRequest(`${action}: IPv6 is not supported: the embedded VPC ${JSON.stringify(context.vpc.vpcId)} has no IPv6 CIDR block; use IpAddressType "IPV4_ONLY"`);
  }
  const created = context.store.transaction(() => {
    const fileSystem = requireFileSystem(context, request.FileSystemId, action);
    requireState(fileSystem, ["available"], action);
    const fileSystemId = fileSystem.metadata.name;
    const subnet = findSubnet(context.vpc, request.SubnetId, action);
    const existing = context.index.mountTargetsOf(fileSystemId).flatMap((id) => {
      const target = context.store.get({ kind: mountTargetKind, name: id }) as MountTargetObject | undefined;
      return target ? [{ mountTargetId: id, subnetId: target.spec.subnetId, availabilityZoneName: target.spec.availabilityZoneName }] : [];
    });
    checkPlacement(fileSystem.spec, fileSystemId, subnet, existing, action);
    const securityGroups = mountTargetSecurityGroups(request.SecurityGroups, context.vpc, action, (id) => isVpcSecurityGroup(context, id));
    const ipAddress = mountTargetAddress(subnet, request.IpAddress, context.index.usedIps(), action);
    const id = unusedId(context);
    const object: MountTargetObject = {
      apiVersion: efsApiVersion,
      kind: mountTargetKind,
      metadata: { name: id, labels: { [fileSystemLabel]: fileSystemId } },
      spec: {
        fileSystemId,
        subnetId: subnet.subnetId,
        ipAddress,
        securityGroups,
        availabilityZoneName: subnet.availabilityZone,
        availabilityZoneId: subnet.availabilityZoneId,
        vpcId: context.vpc.vpcId,
        networkInterfaceId: newNetworkInterfaceId(context.randomHex()),
      },
      status: { lifeCycleState: "creating", ownerId: context.accountId },
    };
    return context.store.create(object) as MountTargetObject;
  });
  return describeMountTarget(created);
}

function unusedId(context: EfsContext): string {
  for (;;) {
    const id = newMountTargetId(context.randomHex());
    if (!context.store.get({ kind: mountTargetKind, name: id })) return id;
  }
}
