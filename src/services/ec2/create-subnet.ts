// CreateSubnet: a block inside its VPC's, /16 to /28, overlapping no other subnet, in one of the
// region's three zones. It exists as EC2 sees it; pods run only in the embedded VPC's subnets.

import { ec2ApiVersion, parseCidr, subnetKind } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error, newId } from "./_context.js";
import { subnetOutput } from "./_describe.js";
import { listSubnets, requireVpc, type SubnetObject, type TagSpecification, tagsFor } from "./_objects.js";

export interface CreateSubnetInput {
  VpcId: string;
  CidrBlock?: string;
  AvailabilityZone?: string;
  AvailabilityZoneId?: string;
  Ipv6CidrBlock?: string;
  TagSpecifications?: TagSpecification[];
}

function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a)!;
  const y = parseCidr(b)!;
  return x.base < y.base + 2 ** (32 - y.prefixLength) && y.base < x.base + 2 ** (32 - x.prefixLength);
}

function zoneOf(context: Ec2Context, input: CreateSubnetInput) {
  const zones = context.vpc.subnets;
  if (!input.AvailabilityZone && !input.AvailabilityZoneId) return zones[0]!;
  const zone = zones.find((candidate) => candidate.availabilityZone === input.AvailabilityZone || candidate.availabilityZoneId === input.AvailabilityZoneId);
  if (zone) return zone;
  const names = zones.map((candidate) => candidate.availabilityZone).join(", ");
  throw ec2Error("Invalid", "InvalidParameterValue", `Value (${input.AvailabilityZone ?? input.AvailabilityZoneId}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${names}.`);
}

export function createSubnet(context: Ec2Context, input: CreateSubnetInput, call: CallContext) {
  if (input.Ipv6CidrBlock) throw ec2Error("Unsupported", "InvalidParameterValue", "IPv6 blocks are not supported in Moor");
  const cidrBlock = input.CidrBlock ?? "";
  const parsed = parseCidr(cidrBlock);
  if (!parsed) throw ec2Error("Invalid", "InvalidParameterValue", `Value (${cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  const zone = zoneOf(context, input);
  return context.store.transaction(() => {
    const vpc = requireVpc(context, input.VpcId);
    const inside = overlaps(cidrBlock, vpc.spec.cidrBlock) && parsed.prefixLength >= parseCidr(vpc.spec.cidrBlock)!.prefixLength;
    if (!inside || parsed.prefixLength > 28) throw ec2Error("Invalid", "InvalidSubnet.Range", `The CIDR '${cidrBlock}' is invalid.`);
    if (listSubnets(context).some((other) => other.spec.vpcId === input.VpcId && overlaps(other.spec.cidrBlock, cidrBlock))) {
      throw ec2Error("Conflict", "InvalidSubnet.Conflict", `The CIDR '${cidrBlock}' conflicts with another subnet`);
    }
    const subnet: SubnetObject = {
      apiVersion: ec2ApiVersion,
      kind: subnetKind,
      metadata: { name: newId(context, "subnet") },
      spec: {
        vpcId: input.VpcId,
        cidrBlock,
        availabilityZone: zone.availabilityZone,
        availabilityZoneId: zone.availabilityZoneId,
        mapPublicIpOnLaunch: false,
        ownerId: context.accountId,
        tags: tagsFor("subnet", input.TagSpecifications),
      },
    };
    context.store.create(subnet);
    return { Subnet: subnetOutput(call, subnet, 0) };
  });
}
