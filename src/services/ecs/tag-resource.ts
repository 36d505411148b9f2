// TagResource: adds or replaces tags by key on a cluster, task definition, task or service.

import { type CallContext, type EcsContext, type Tag } from "./_context.js";
import { requireTaggable } from "./_tagging.js";

export function tagResource(context: EcsContext, input: { resourceArn: string; tags: Tag[] }, _call?: CallContext) {
  context.store.transaction(() => {
    const object = requireTaggable(context, input.resourceArn);
    const keys = new Set(input.tags.map((tag) => tag.key));
    const tags = [...((object.spec?.tags ?? []) as Tag[]).filter((tag) => !keys.has(tag.key)), ...input.tags];
    context.store.update({ ...object, spec: { ...object.spec, tags } });
  });
  return {};
}
