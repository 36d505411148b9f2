// UntagRole: removes tags by key; keys the role does not have are ignored, as in IAM.

import type { IamContext } from "./_context.js";
import { updateRole } from "./_update.js";

export function untagRole(context: IamContext, input: { RoleName: string; TagKeys: string[] }): void {
  updateRole(context, input.RoleName, (spec) => {
    spec.tags = spec.tags.filter((tag) => !input.TagKeys.includes(tag.Key));
  });
}
