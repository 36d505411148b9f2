// DescribeDBSubnetGroups: one by name (DBSubnetGroupNotFoundFault when missing) or all of them.

import { dbSubnetGroupKind, type DBSubnetGroupObject } from "../../domain/rds/mod.js";
import { type RdsContext, requireSubnetGroup } from "./_context.js";
import { subnetGroupOutput } from "./_output.js";

export interface DescribeDBSubnetGroupsInput {
  DBSubnetGroupName?: string;
  MaxRecords?: number;
  Marker?: string;
}

export function describeDBSubnetGroups(context: RdsContext, input: DescribeDBSubnetGroupsInput) {
  const groups = input.DBSubnetGroupName
    ? [requireSubnetGroup(context, input.DBSubnetGroupName)]
    : (context.store.list(dbSubnetGroupKind).items as unknown as DBSubnetGroupObject[]);
  return { DBSubnetGroups: groups.map((group) => subnetGroupOutput(context, group)) };
}
