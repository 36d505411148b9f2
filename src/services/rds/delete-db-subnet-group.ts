// DeleteDBSubnetGroup: refused while a DB instance uses the group (InvalidDBSubnetGroupStateFault).

import { dbSubnetGroupKind } from "../../domain/rds/mod.js";
import { listInstances, type RdsContext, rdsError, requireSubnetGroup } from "./_context.js";

export interface DeleteDBSubnetGroupInput {
  DBSubnetGroupName: string;
}

export function deleteDBSubnetGroup(context: RdsContext, input: DeleteDBSubnetGroupInput): void {
  const group = requireSubnetGroup(context, input.DBSubnetGroupName);
  const user = listInstances(context).find((instance) => instance.spec.subnetGroupName === group.metadata.name);
  if (user) throw rdsError("Conflict", "InvalidDBSubnetGroupStateFault", `Cannot delete the subnet group '${group.metadata.name}' because at least one database instance: ${user.spec.identifier} is still using it.`);
  context.store.delete({ kind: dbSubnetGroupKind, name: group.metadata.name });
}
