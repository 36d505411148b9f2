// DescribeRouteTables: each VPC's main route table, with its one local route and every subnet of
// the VPC implicitly on it. Moor's VPCs route only inside themselves; tables are not yet made or
// changed by request.

import type { CallContext, Ec2Context } from "./_context.js";
import { ec2Error } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listSubnets, listVpcs } from "./_objects.js";

export interface DescribeRouteTablesInput {
  RouteTableIds?: string[];
  Filters?: Filter[];
}

export function describeRouteTables(context: Ec2Context, input: DescribeRouteTablesInput, _call: CallContext) {
  const tables = listVpcs(context).map((vpc) => {
    const suffix = vpc.metadata.name.slice(4);
    const id = `rtb-${suffix}`;
    return {
      RouteTableId: id,
      VpcId: vpc.metadata.name,
      OwnerId: vpc.spec.ownerId,
      Routes: [{ DestinationCidrBlock: vpc.spec.cidrBlock, GatewayId: "local", Origin: "CreateRouteTable", State: "active" }],
      Associations: [{ Main: true, RouteTableAssociationId: `rtbassoc-${suffix}`, RouteTableId: id, AssociationState: { State: "associated" } }],
      PropagatingVgws: [],
      Tags: [],
      subnets: listSubnets(context).filter((subnet) => subnet.spec.vpcId === vpc.metadata.name).map((subnet) => subnet.metadata.name),
    };
  });
  let chosen = tables;
  if (input.RouteTableIds?.length) {
    chosen = input.RouteTableIds.map((id) => {
      const found = tables.find((table) => table.RouteTableId === id);
      if (!found) throw ec2Error("NotFound", "InvalidRouteTableID.NotFound", `The routeTable ID '${id}' does not exist`);
      return found;
    });
  }
  const fields: Record<string, (table: (typeof tables)[number]) => string | string[]> = {
    "route-table-id": (table) => table.RouteTableId,
    "vpc-id": (table) => table.VpcId,
    "association.main": () => "true",
    "association.route-table-id": (table) => table.RouteTableId,
    "association.subnet-id": () => [],
    "owner-id": (table) => table.OwnerId,
  };
  const filtered = applyFilters(chosen, input.Filters, (table, name) => fields[name]?.(table), (table) => table.Tags);
  return { RouteTables: filtered.map(({ subnets: _subnets, ...table }) => table) };
}
