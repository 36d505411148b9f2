// UntagResource: removes tags by key; keys the resource does not have are ignored.

import { type CallContext, type EcsContext, type Tag } from "./_context.js";
import { requireTaggable } from "./_tagging.js";

export function untagResource(context: EcsContext, input: { resourceArn: string; tagKeys: string[] }, _call?: CallContext) {
  context.store.transaction(() => {
    const object = requireTaggable(context, input.resourceArn);
    const tags = ((object.spec?.tags ?? []) as Tag[]).filter((tag) => !input.tagKeys.includes(tag.key ?? ""));
    context.store.update({ ...object, spec: { ...object.spec, tags } });
  });
  return {};
}
