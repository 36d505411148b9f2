// DeleteDBInstance: SkipFinalSnapshot, or a FinalDBSnapshotIdentifier (AWS's
// InvalidParameterCombination when neither); refused under deletion protection. The instance
// goes `deleting`; the controller removes its server and then the instance. A final snapshot
// keeps the instance's volume (recorded as a DBSnapshot object naming it).

import { dbSnapshotKind } from "../../domain/rds/mod.js";
import { invalidParameter, type RdsContext, rdsError, requireInstance, requireStatus, updateInstance } from "./_context.js";
import { dbInstanceOutput } from "./_output.js";

export interface DeleteDBInstanceInput {
  DBInstanceIdentifier: string;
  SkipFinalSnapshot?: boolean;
  FinalDBSnapshotIdentifier?: string;
  DeleteAutomatedBackups?: boolean;
}

export function deleteDBInstance(context: RdsContext, input: DeleteDBInstanceInput) {
  const instance = requireInstance(context, input.DBInstanceIdentifier);
  if (!input.SkipFinalSnapshot && !input.FinalDBSnapshotIdentifier) {
    throw rdsError("Invalid", "InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
  }
  if (input.SkipFinalSnapshot && input.FinalDBSnapshotIdentifier) {
    throw rdsError("Invalid", "InvalidParameterCombination", "Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier");
  }
  if (instance.spec.deletionProtection) throw invalidParameter("Cannot delete protected DB Instance, please disable deletion protection and try again.");
  requireStatus(instance, ["available", "stopped", "creating", "backing-up", "modifying", "rebooting", "starting", "stopping", "failed"], "delete");
  const snapshot = input.FinalDBSnapshotIdentifier?.toLowerCase();
  if (snapshot && context.store.get({ kind: dbSnapshotKind, name: snapshot })) throw rdsError("AlreadyExists", "DBSnapshotAlreadyExists", `Cannot create the snapshot because a snapshot with the identifier ${snapshot} already exists.`);
  const updated = updateInstance(context, instance, { status: { status: "deleting", ...(snapshot ? { finalSnapshotIdentifier: snapshot } : {}) } });
  return { DBInstance: dbInstanceOutput(context, updated) };
}
