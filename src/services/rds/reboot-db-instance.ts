// RebootDBInstance: `rebooting` until the controller has restarted the server and it answers.

import { type RdsContext, requireInstance, requireStatus, updateInstance } from "./_context.js";
import { dbInstanceOutput } from "./_output.js";

export interface RebootDBInstanceInput {
  DBInstanceIdentifier: string;
  ForceFailover?: boolean;
}

export function rebootDBInstance(context: RdsContext, input: RebootDBInstanceInput) {
  const instance = requireInstance(context, input.DBInstanceIdentifier);
  requireStatus(instance, ["available"], "reboot");
  const updated = updateInstance(context, instance, { status: { status: "rebooting", rebootGeneration: (instance.status.rebootGeneration ?? 0) + 1 } });
  return { DBInstance: dbInstanceOutput(context, updated) };
}
