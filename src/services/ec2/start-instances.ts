// StartInstances: stopped → pending → running (a new pod for the instance).

import type { Ec2Context } from "./_context.js";
import { changeStates } from "./_state-change.js";

export function startInstances(context: Ec2Context, input: { InstanceIds: string[] }) {
  return { StartingInstances: changeStates(context, input.InstanceIds, "running") };
}
