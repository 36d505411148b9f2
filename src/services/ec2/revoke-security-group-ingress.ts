// RevokeSecurityGroupIngress: see _rules.ts for what revoke checks and writes.

import type { CallContext, Ec2Context } from "./_context.js";
import { revoke, type RuleChangeInput } from "./_rules.js";

export function revokeSecurityGroupIngress(context: Ec2Context, input: RuleChangeInput, call: CallContext) {
  return revoke(context, call, input, "ingress");
}
