// StopInstances: running → stopping → stopped (the instance's pod is removed; its user data
// does not run again at the next start).

import type { Ec2Context } from "./_context.js";
import { changeStates } from "./_state-change.js";

export function stopInstances(context: Ec2Context, input: { InstanceIds: string[] }) {
  return { StoppingInstances: changeStates(context, input.InstanceIds, "stopped") };
}
