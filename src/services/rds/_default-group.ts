// The `default` DB subnet group RDS uses when CreateDBInstance names none: every subnet of the
// account's first VPC (Moor's embedded one), made on first use.

import { dbSubnetGroupKind, type DBSubnetGroupObject, rdsApiVersion } from "../../domain/rds/mod.js";
import { subnetKind, vpcKind } from "../../domain/securitygroups/mod.js";
import { type RdsContext, rdsError } from "./_context.js";

export function defaultSubnetGroup(context: RdsContext): DBSubnetGroupObject {
  const existing = context.store.get({ kind: dbSubnetGroupKind, name: "default" });
  if (existing) return existing as unknown as DBSubnetGroupObject;
  const vpc = context.store.list(vpcKind).items.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))[0];
  if (!vpc) throw rdsError("Invalid", "InvalidVPCNetworkStateFault", "Cannot create a DB instance without a DB subnet group: the account has no VPC");
  const subnets = context.store.list(subnetKind).items.filter((subnet) => subnet.spec?.vpcId === vpc.metadata.name && !subnet.spec?.mapPublicIpOnLaunch);
  const group: DBSubnetGroupObject = {
    apiVersion: rdsApiVersion,
    kind: dbSubnetGroupKind,
    metadata: { name: "default" },
    spec: { name: "default", description: "default", vpcId: vpc.metadata.name, subnets: subnets.map((subnet) => ({ subnetId: subnet.metadata.name, availabilityZone: subnet.spec.availabilityZone })), tags: [] },
  };
  context.store.create(group as never);
  return group;
}
