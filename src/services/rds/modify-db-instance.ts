// ModifyDBInstance: the instance class (the sandbox's size) and the allocated storage (its block
// volume grows; RDS refuses to shrink it), the security groups and the master password. The
// instance goes `modifying` while the controller applies them, then `available`.

import { storageProblem } from "../../domain/rds/mod.js";
import { invalidParameter, type RdsContext, rdsError, requireInstance, requireStatus, updateInstance } from "./_context.js";
import { dbInstanceOutput } from "./_output.js";

export interface ModifyDBInstanceInput {
  DBInstanceIdentifier: string;
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  VpcSecurityGroupIds?: string[];
  MasterUserPassword?: string;
  BackupRetentionPeriod?: number;
  DeletionProtection?: boolean;
  ApplyImmediately?: boolean;
}

export function modifyDBInstance(context: RdsContext, input: ModifyDBInstanceInput) {
  const instance = requireInstance(context, input.DBInstanceIdentifier);
  requireStatus(instance, ["available"], "modify");
  const { spec } = instance;
  if (input.DBInstanceClass !== undefined && !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(input.DBInstanceClass)) throw invalidParameter(`Invalid DB Instance class: ${input.DBInstanceClass}`);
  if (input.AllocatedStorage !== undefined) {
    const problem = storageProblem(input.AllocatedStorage);
    if (problem) throw invalidParameter(problem);
    if (input.AllocatedStorage < spec.allocatedStorageGiB) throw invalidParameter("Invalid storage size: the allocated storage cannot be decreased");
  }
  for (const groupId of input.VpcSecurityGroupIds ?? []) {
    if (!context.store.get({ kind: "SecurityGroup", name: groupId })) throw invalidParameter(`Invalid security group , groupId= ${groupId}, groupName=.`);
  }
  if (input.MasterUserPassword !== undefined) throw rdsError("Unsupported", "InvalidParameterCombination", "Cannot modify MasterUserPassword: Moor does not change a running server's master password yet");
  const changes = {
    ...(input.DBInstanceClass !== undefined ? { instanceClass: input.DBInstanceClass } : {}),
    ...(input.AllocatedStorage !== undefined ? { allocatedStorageGiB: input.AllocatedStorage } : {}),
    ...(input.VpcSecurityGroupIds?.length ? { securityGroupIds: [...new Set(input.VpcSecurityGroupIds)] } : {}),
    ...(input.BackupRetentionPeriod !== undefined ? { backupRetentionPeriod: input.BackupRetentionPeriod } : {}),
    ...(input.DeletionProtection !== undefined ? { deletionProtection: input.DeletionProtection } : {}),
  };
  const serverChanges = changes.instanceClass !== undefined && changes.instanceClass !== spec.instanceClass || (changes.allocatedStorageGiB ?? spec.allocatedStorageGiB) !== spec.allocatedStorageGiB || changes.securityGroupIds !== undefined;
  const updated = updateInstance(context, instance, { spec: changes, ...(serverChanges ? { status: { status: "modifying" } } : {}) });
  return { DBInstance: dbInstanceOutput(context, updated) };
}
