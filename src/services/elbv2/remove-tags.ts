// RemoveTags: removes tags by key from load balancers, target groups or listeners by ARN.

import type { Elbv2Context } from "./_context.js";
import { resourceByArn } from "./_tagging.js";

export function removeTags(context: Elbv2Context, input: { ResourceArns?: string[]; TagKeys?: string[] }): Record<string, never> {
  for (const arn of input.ResourceArns ?? []) {
    const found = resourceByArn(context, arn);
    const tags = found.spec.tags.filter((tag) => !(input.TagKeys ?? []).includes(tag.Key));
    context.store.update({ ...found, spec: { ...found.spec, tags } });
  }
  return {};
}
