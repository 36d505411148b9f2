// DescribeDBInstances: by identifier (DBInstanceNotFound when missing), else every instance the
// Filters admit (db-instance-id by identifier or ARN, as Terraform polls; dbi-resource-id;
// engine; db-cluster-id matches none), in MaxRecords pages with a Marker.

import type { DBInstanceObject } from "../../domain/rds/mod.js";
import { invalidParameter, listInstances, type RdsContext, requireInstance } from "./_context.js";
import { dbInstanceOutput, instanceArn } from "./_output.js";

export interface DescribeDBInstancesInput {
  DBInstanceIdentifier?: string;
  Filters?: { Name: string; Values: string[] }[];
  MaxRecords?: number;
  Marker?: string;
}

function valuesOf(context: RdsContext, instance: DBInstanceObject, name: string): string[] {
  switch (name) {
    case "db-instance-id":
      return [instance.spec.identifier, instanceArn(context, instance.spec.identifier)];
    case "dbi-resource-id":
      return [instance.spec.dbiResourceId];
    case "engine":
      return [instance.spec.engine];
    case "db-cluster-id":
    case "domain":
      return [];
    default:
      throw invalidParameter(`Unrecognized filter name: ${name}`);
  }
}

export function describeDBInstances(context: RdsContext, input: DescribeDBInstancesInput) {
  let instances = input.DBInstanceIdentifier ? [requireInstance(context, input.DBInstanceIdentifier)] : listInstances(context);
  for (const filter of input.Filters ?? []) {
    const wanted = new Set(filter.Values.map((value) => (filter.Name === "db-instance-id" && !value.startsWith("arn:") ? value.toLowerCase() : value)));
    instances = instances.filter((instance) => valuesOf(context, instance, filter.Name).some((value) => wanted.has(value)));
  }
  instances.sort((a, b) => (a.spec.identifier < b.spec.identifier ? -1 : 1));
  const pageSize = Math.min(Math.max(input.MaxRecords ?? 100, 20), 100);
  const start = input.Marker ? Number(input.Marker) || 0 : 0;
  const page = instances.slice(start, start + pageSize);
  const next = start + pageSize < instances.length ? { Marker: String(start + pageSize) } : {};
  return { DBInstances: page.map((instance) => dbInstanceOutput(context, instance)), ...next };
}
