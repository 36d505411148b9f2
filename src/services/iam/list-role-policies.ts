// ListRolePolicies: the names of the role's inline policies, in name order.

import type { IamContext } from "./_context.js";
import { type PageInput, page } from "./_paging.js";
import { getStoredRole } from "./_roles.js";

export function listRolePolicies(context: IamContext, input: PageInput & { RoleName: string }): Record<string, unknown> {
  const names = getStoredRole(context, input.RoleName).spec!.inlinePolicies.map((policy) => policy.name).sort();
  const { items, ...rest } = page(names, input);
  return { PolicyNames: items, ...rest };
}
