// DescribeTags, AddTags and RemoveTags on load balancers, target groups and listeners by ARN.

import type { Elbv2Context, Tag } from "./_context.js";
import { resourceByArn } from "./_tagging.js";

export function describeTags(context: Elbv2Context, input: { ResourceArns?: string[] }) {
  return { TagDescriptions: (input.ResourceArns ?? []).map((arn) => ({ ResourceArn: arn, Tags: resourceByArn(context, arn).spec.tags })) };
}

export function addTags(context: Elbv2Context, input: { ResourceArns?: string[]; Tags?: Tag[] }): Record<string, never> {
  for (const arn of input.ResourceArns ?? []) {
    const found = resourceByArn(context, arn);
    const added = input.Tags ?? [];
    const tags = [...found.spec.tags.filter((tag) => !added.some((other) => other.Key === tag.Key)), ...added];
    context.store.update({ ...found, spec: { ...found.spec, tags } });
  }
  return {};
}

export function removeTags(context: Elbv2Context, input: { ResourceArns?: string[]; TagKeys?: string[] }): Record<string, never> {
  for (const arn of input.ResourceArns ?? []) {
    const found = resourceByArn(context, arn);
    const tags = found.spec.tags.filter((tag) => !(input.TagKeys ?? []).includes(tag.Key));
    context.store.update({ ...found, spec: { ...found.spec, tags } });
  }
  return {};
}
