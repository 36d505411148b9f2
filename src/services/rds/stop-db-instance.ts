// StopDBInstance: `stopping`, then `stopped` once the server is gone; its volume keeps the data.

import { type RdsContext, requireInstance, requireStatus, updateInstance } from "./_context.js";
import { dbInstanceOutput } from "./_output.js";

export interface StopDBInstanceInput {
  DBInstanceIdentifier: string;
  DBSnapshotIdentifier?: string;
}

export function stopDBInstance(context: RdsContext, input: StopDBInstanceInput) {
  const instance = requireInstance(context, input.DBInstanceIdentifier);
  requireStatus(instance, ["available"], "stop");
  const updated = updateInstance(context, instance, { status: { status: "stopping", address: undefined } });
  return { DBInstance: dbInstanceOutput(context, updated) };
}
