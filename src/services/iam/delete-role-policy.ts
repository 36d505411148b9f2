// DeleteRolePolicy: removes an inline policy; an absent one is NoSuchEntity.

import { notFound } from "../../errors/mod.js";
import type { IamContext } from "./_context.js";
import { updateRole } from "./_update.js";

export function deleteRolePolicy(context: IamContext, input: { RoleName: string; PolicyName: string }): void {
  updateRole(context, input.RoleName, (spec) => {
    if (!spec.inlinePolicies.some((policy) => policy.name === input.PolicyName)) {
      throw notFound(`The role policy with name ${input.PolicyName} cannot be found.`, { code: "NoSuchEntity" });
    }
    spec.inlinePolicies = spec.inlinePolicies.filter((policy) => policy.name !== input.PolicyName);
  });
}
