// AuthorizeSecurityGroupEgress: see _rules.ts for what authorize checks and writes.

import type { CallContext, Ec2Context } from "./_context.js";
import { authorize, type RuleChangeInput } from "./_rules.js";

export function authorizeSecurityGroupEgress(context: Ec2Context, input: RuleChangeInput, call: CallContext) {
  return authorize(context, call, input, "egress");
}
