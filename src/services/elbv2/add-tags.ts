// AddTags: adds tags to load balancers, target groups or listeners by ARN; a key given again takes the new value.

import type { Elbv2Context, Tag } from "./_context.js";
import { resourceByArn } from "./_tagging.js";

export function addTags(context: Elbv2Context, input: { ResourceArns?: string[]; Tags?: Tag[] }): Record<string, never> {
  for (const arn of input.ResourceArns ?? []) {
    const found = resourceByArn(context, arn);
    const added = input.Tags ?? [];
    const tags = [...found.spec.tags.filter((tag) => !added.some((other) => other.Key === tag.Key)), ...added];
    context.store.update({ ...found, spec: { ...found.spec, tags } });
  }
  return {};
}
