// StartDBInstance: `starting` until the server runs again on its volume, then `available`.

import { type RdsContext, requireInstance, requireStatus, updateInstance } from "./_context.js";
import { dbInstanceOutput } from "./_output.js";

export interface StartDBInstanceInput {
  DBInstanceIdentifier: string;
}

export function startDBInstance(context: RdsContext, input: StartDBInstanceInput) {
  const instance = requireInstance(context, input.DBInstanceIdentifier);
  requireStatus(instance, ["stopped"], "start");
  const updated = updateInstance(context, instance, { status: { status: "starting" } });
  return { DBInstance: dbInstanceOutput(context, updated) };
}
