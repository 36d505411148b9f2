// DeregisterTargets: the targets leave the group (InvalidTarget for one not registered); the load
// balancer controller deletes their servers from the proxy at run time.

import { elbError, type Elbv2Context, targetGroupByArn, validationError } from "./_context.js";
import { same, type TargetDescription } from "./register-targets.js";

export function deregisterTargets(context: Elbv2Context, input: { TargetGroupArn?: string; Targets?: TargetDescription[] }): Record<string, never> {
  const group = targetGroupByArn(context, input.TargetGroupArn ?? "");
  if (!input.Targets?.length) throw validationError("Targets must be specified");
  const gone = input.Targets.map((target) => ({ id: target.Id ?? "", port: target.Port ?? group.spec.port }));
  for (const target of gone) {
    if (!group.spec.targets.some((other) => same(other, target))) {
      throw elbError("Invalid", "InvalidTarget", `The following targets are not registered in target group '${group.spec.arn}': 'Id: ${target.id}, Port: ${target.port}'`);
    }
  }
  const targets = group.spec.targets.filter((target) => !gone.some((other) => same(other, target)));
  // A target registered again starts over with initial checks.
  for (const target of gone) context.seenHealthy.delete(`${group.spec.arn} ${target.id}:${target.port}`);
  context.store.update({ ...group, spec: { ...group.spec, targets } });
  return {};
}
