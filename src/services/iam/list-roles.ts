// ListRoles: roles by name, optionally under a path prefix, a page at a time.

import type { IamContext } from "./_context.js";
import { type PageInput, page } from "./_paging.js";
import { listStoredRoles, roleOutput } from "./_roles.js";

export function listRoles(context: IamContext, input: PageInput & { PathPrefix?: string }): Record<string, unknown> {
  const prefix = input.PathPrefix ?? "/";
  const roles = listStoredRoles(context)
    .map((role) => role.spec!)
    .filter((spec) => spec.path.startsWith(prefix))
    .sort((a, b) => a.roleName.localeCompare(b.roleName));
  const { items, ...rest } = page(roles, input);
  return { Roles: items.map((spec) => roleOutput(spec)), ...rest };
}
