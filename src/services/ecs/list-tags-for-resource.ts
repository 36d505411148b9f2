// ListTagsForResource: a resource's tags, as Terraform reads them after each write.

import { type CallContext, type EcsContext } from "./_context.js";
import { requireTaggable } from "./_tagging.js";

export function listTagsForResource(context: EcsContext, input: { resourceArn: string }, _call?: CallContext) {
  return { tags: requireTaggable(context, input.resourceArn).spec?.tags ?? [] };
}
