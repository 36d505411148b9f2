// AttachRolePolicy: a customer or AWS-managed policy to a role; attaching one already attached
// changes nothing, as in IAM; at most 10 a role (IAM's default quota).

import { limitExceeded } from "../../errors/mod.js";
import type { IamContext } from "./_context.js";
import { findPolicy } from "./_policies.js";
import { updateRole } from "./_update.js";

export const rolePoliciesMax = 10;

export function attachRolePolicy(context: IamContext, input: { RoleName: string; PolicyArn: string }): void {
  updateRole(context, input.RoleName, (spec) => {
    findPolicy(context, input.PolicyArn, `Policy ${input.PolicyArn} does not exist or is not attachable.`);
    if (spec.attachedPolicies.includes(input.PolicyArn)) return;
    if (spec.attachedPolicies.length >= rolePoliciesMax) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${rolePoliciesMax}`, { code: "LimitExceeded" });
    spec.attachedPolicies.push(input.PolicyArn);
  });
}
