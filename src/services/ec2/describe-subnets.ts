// DescribeSubnets: by ids (each must exist) and filters; the free-address count leaves out the
// addresses Moor has handed out in the subnet.

import { cidrContains } from "../../domain/securitygroups/mod.js";
import type { CallContext, Ec2Context } from "./_context.js";
import { subnetOutput } from "./_describe.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listInterfaces } from "./_interfaces.js";
import { listSubnets, requireSubnet, type SubnetObject } from "./_objects.js";

export interface DescribeSubnetsInput {
  SubnetIds?: string[];
  Filters?: Filter[];
}

function field(subnet: SubnetObject, name: string): string | undefined {
  const { spec } = subnet;
  const fields: Record<string, string> = {
    "subnet-id": subnet.metadata.name,
    "vpc-id": spec.vpcId,
    "availability-zone": spec.availabilityZone,
    "availabilityZone": spec.availabilityZone,
    "availability-zone-id": spec.availabilityZoneId,
    "cidr-block": spec.cidrBlock,
    "cidr": spec.cidrBlock,
    "cidrBlock": spec.cidrBlock,
    "state": "available",
    "owner-id": spec.ownerId,
    "default-for-az": "false",
    "defaultForAz": "false",
    "map-public-ip-on-launch": String(spec.mapPublicIpOnLaunch),
  };
  return fields[name];
}

export function describeSubnets(context: Ec2Context, input: DescribeSubnetsInput, call: CallContext) {
  const subnets = input.SubnetIds?.length ? input.SubnetIds.map((id) => requireSubnet(context, id)) : listSubnets(context);
  const interfaces = listInterfaces(context);
  const used = (subnet: SubnetObject) => interfaces.filter((eni) => cidrContains(subnet.spec.cidrBlock, eni.ip)).length;
  const chosen = applyFilters(subnets, input.Filters, field, (subnet) => subnet.spec.tags);
  return { Subnets: chosen.map((subnet) => subnetOutput(call, subnet, used(subnet))) };
}
