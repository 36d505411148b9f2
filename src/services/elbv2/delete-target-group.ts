// DeleteTargetGroup: refused with ResourceInUse while a listener forwards to it; deleting one
// that is gone succeeds.

import { allOf, elbError, type Elbv2Context, listenersForwardingTo, targetGroupKind, type TargetGroupSpec } from "./_context.js";

export function deleteTargetGroup(context: Elbv2Context, input: { TargetGroupArn?: string }): Record<string, never> {
  const found = allOf<TargetGroupSpec>(context, targetGroupKind).find((item) => item.spec.arn === input.TargetGroupArn);
  if (!found) return {};
  const user = listenersForwardingTo(context, found.spec.arn)[0];
  if (user) throw elbError("Conflict", "ResourceInUse", `Target group '${found.spec.arn}' is currently in use by a listener or a rule`);
  context.store.delete({ kind: targetGroupKind, name: found.metadata.name });
  return {};
}
