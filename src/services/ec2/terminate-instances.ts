// TerminateInstances: → shutting-down → terminated; a terminated instance stays visible to
// DescribeInstances for an hour, as on AWS, then the instance controller removes it.

import type { Ec2Context } from "./_context.js";
import { changeStates } from "./_state-change.js";

export function terminateInstances(context: Ec2Context, input: { InstanceIds: string[] }) {
  return { TerminatingInstances: changeStates(context, input.InstanceIds, "terminated") };
}
