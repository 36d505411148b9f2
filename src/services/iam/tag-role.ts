// TagRole: tags set over existing ones by key; at most 50 a role, as IAM allows.

import { limitExceeded } from "../../errors/mod.js";
import { type IamContext, mergeTags, type Tag } from "./_context.js";
import { updateRole } from "./_update.js";

export const roleTagsMax = 50;

export function tagRole(context: IamContext, input: { RoleName: string; Tags: Tag[] }): void {
  updateRole(context, input.RoleName, (spec) => {
    const tags = mergeTags(spec.tags, input.Tags);
    if (tags.length > roleTagsMax) throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${roleTagsMax}`, { code: "LimitExceeded" });
    spec.tags = tags;
  });
}
