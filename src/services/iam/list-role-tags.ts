// ListRoleTags: the role's tags, a page at a time.

import type { IamContext } from "./_context.js";
import { type PageInput, page } from "./_paging.js";
import { getStoredRole } from "./_roles.js";

export function listRoleTags(context: IamContext, input: PageInput & { RoleName: string }): Record<string, unknown> {
  const { items, ...rest } = page(getStoredRole(context, input.RoleName).spec!.tags, input);
  return { Tags: items, ...rest };
}
