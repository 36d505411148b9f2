// DescribeVpcs: by ids (each must exist) and filters.

import type { CallContext, Ec2Context } from "./_context.js";
import { vpcOutput } from "./_describe.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listVpcs, requireVpc, type VpcObject } from "./_objects.js";

export interface DescribeVpcsInput {
  VpcIds?: string[];
  Filters?: Filter[];
}

function field(vpc: VpcObject, name: string): string | string[] | undefined {
  switch (name) {
    case "vpc-id":
      return vpc.metadata.name;
    case "cidr":
    case "cidr-block-association.cidr-block":
      return vpc.spec.cidrBlock;
    case "state":
      return "available";
    case "owner-id":
      return vpc.spec.ownerId;
    case "is-default":
      return "false";
    case "dhcp-options-id":
      return `dopt-${vpc.metadata.name.slice(4)}`;
    default:
      return undefined;
  }
}

export function describeVpcs(context: Ec2Context, input: DescribeVpcsInput, _call: CallContext) {
  const vpcs = input.VpcIds?.length ? input.VpcIds.map((id) => requireVpc(context, id)) : listVpcs(context);
  return { Vpcs: applyFilters(vpcs, input.Filters, field, (vpc) => vpc.spec.tags).map(vpcOutput) };
}
