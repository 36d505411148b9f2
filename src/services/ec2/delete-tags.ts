// DeleteTags: removes the named keys (only where the value matches, when one is given); no
// Tags at all removes every tag.

import type { Tag } from "../../domain/securitygroups/mod.js";
import type { CallContext, Ec2Context } from "./_context.js";
import { changeTags } from "./_tagging.js";

export interface DeleteTagsInput {
  Resources: string[];
  Tags?: { Key: string; Value?: string }[];
}

export function deleteTags(context: Ec2Context, input: DeleteTagsInput, _call: CallContext): void {
  const named = input.Tags;
  const removes = (tag: Tag) => !named || named.length === 0 || named.some((target) => target.Key === tag.Key && (target.Value === undefined || target.Value === tag.Value));
  changeTags(context, input.Resources, (tags) => tags.filter((tag) => !removes(tag)));
}
