// A read-modify-write of one role or policy, inside a store transaction so no other write interleaves.

import { invalid } from "../../errors/mod.js";
import type { IamContext } from "./_context.js";
import { findPolicy, type PolicySpec } from "./_policies.js";
import { getStoredRole, type RoleSpec } from "./_roles.js";

export function updateRole(context: IamContext, roleName: string, change: (spec: RoleSpec) => void): RoleSpec {
  return context.store.transaction(() => {
    const role = getStoredRole(context, roleName);
    const spec = structuredClone(role.spec!);
    change(spec);
    context.store.update({ ...role, spec });
    return spec;
  });
}

/** A read-modify-write of one customer managed policy; AWS-managed ones cannot change. */
export function updatePolicy(context: IamContext, arn: string, change: (spec: PolicySpec) => void): PolicySpec {
  return context.store.transaction(() => {
    const found = findPolicy(context, arn);
    if (!found.stored) throw invalid(`Cannot change policy ${arn}: it is an AWS managed policy`, { code: "UnmodifiableEntity" });
    const spec = structuredClone(found.stored.spec!);
    change(spec);
    context.store.update({ ...found.stored, spec });
    return spec;
  });
}
