// DetachRolePolicy: a policy that is not attached to the role is NoSuchEntity, as in IAM.

import { notFound } from "../../errors/mod.js";
import type { IamContext } from "./_context.js";
import { updateRole } from "./_update.js";

export function detachRolePolicy(context: IamContext, input: { RoleName: string; PolicyArn: string }): void {
  updateRole(context, input.RoleName, (spec) => {
    if (!spec.attachedPolicies.includes(input.PolicyArn)) throw notFound(`Policy ${input.PolicyArn} was not found.`, { code: "NoSuchEntity" });
    spec.attachedPolicies = spec.attachedPolicies.filter((arn) => arn !== input.PolicyArn);
  });
}
