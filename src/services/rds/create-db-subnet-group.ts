// CreateDBSubnetGroup: subnets of one VPC covering at least two zones (RDS's
// DBSubnetGroupDoesNotCoverEnoughAZs text otherwise), the name stored lower-cased.

import { azCoverageProblem, dbSubnetGroupKind, type DBSubnetGroupObject, rdsApiVersion, subnetGroupNameProblem } from "../../domain/rds/mod.js";
import { subnetKind } from "../../domain/securitygroups/mod.js";
import { invalidParameter, type RdsContext, rdsError, type Tag } from "./_context.js";
import { subnetGroupOutput } from "./_output.js";

export interface CreateDBSubnetGroupInput {
  DBSubnetGroupName: string;
  DBSubnetGroupDescription: string;
  SubnetIds: string[];
  Tags?: Tag[];
}

export function createDBSubnetGroup(context: RdsContext, input: CreateDBSubnetGroupInput) {
  const problem = subnetGroupNameProblem(input.DBSubnetGroupName);
  if (problem) throw invalidParameter(problem);
  const name = input.DBSubnetGroupName.toLowerCase();
  if (context.store.get({ kind: dbSubnetGroupKind, name })) throw rdsError("AlreadyExists", "DBSubnetGroupAlreadyExists", `The DB subnet group '${name}' already exists.`);
  const subnets = [...new Set(input.SubnetIds)].map((subnetId) => {
    const subnet = context.store.get({ kind: subnetKind, name: subnetId });
    if (!subnet) throw rdsError("Invalid", "InvalidSubnet", `The subnet ID '${subnetId}' does not exist`);
    return { subnetId, availabilityZone: subnet.spec.availabilityZone as string, vpcId: subnet.spec.vpcId as string };
  });
  if (subnets.length === 0) throw invalidParameter("The parameter SubnetIds must be provided.");
  const vpcs = new Set(subnets.map((subnet) => subnet.vpcId));
  if (vpcs.size > 1) throw rdsError("Invalid", "InvalidSubnet", "Some input subnets are invalid: the subnets of a DB subnet group must all be in one VPC");
  const coverage = azCoverageProblem(subnets.map((subnet) => subnet.availabilityZone));
  if (coverage) throw rdsError("Invalid", "DBSubnetGroupDoesNotCoverEnoughAZs", coverage);
  const group: DBSubnetGroupObject = {
    apiVersion: rdsApiVersion,
    kind: dbSubnetGroupKind,
    metadata: { name },
    spec: {
      name,
      description: input.DBSubnetGroupDescription,
      vpcId: subnets[0]!.vpcId,
      subnets: subnets.map(({ subnetId, availabilityZone }) => ({ subnetId, availabilityZone })),
      tags: input.Tags ?? [],
    },
  };
  context.store.create(group as never);
  return { DBSubnetGroup: subnetGroupOutput(context, group) };
}
