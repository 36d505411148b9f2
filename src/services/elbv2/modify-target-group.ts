// ModifyTargetGroup: the health check settings; the others keep their values.

import { describeTargetGroup } from "./_describe.js";
import { type Elbv2Context, targetGroupByArn } from "./_context.js";
import { type CreateTargetGroupInput, healthCheckOf } from "./create-target-group.js";
import { loadBalancerArnsOf } from "./describe-target-groups.js";

export function modifyTargetGroup(context: Elbv2Context, input: CreateTargetGroupInput & { TargetGroupArn?: string }) {
  const found = targetGroupByArn(context, input.TargetGroupArn ?? "");
  const healthCheck = healthCheckOf(input, found.spec.protocol, found.spec.healthCheck);
  const updated = context.store.update({ ...found, spec: { ...found.spec, healthCheck } });
  return { TargetGroups: [describeTargetGroup(updated.spec, found.metadata.name, loadBalancerArnsOf(context, found.spec.arn))] };
}
