// DescribeTags: the tags of every VPC, subnet and security group, by the filters resource-id,
// resource-type, key and value.

import type { Tag } from "../../domain/securitygroups/mod.js";
import type { CallContext, Ec2Context } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";
import { resourceTypes } from "./_tagging.js";

export interface DescribeTagsInput {
  Filters?: Filter[];
}

interface TagDescription {
  ResourceId: string;
  ResourceType: string;
  Key: string;
  Value: string;
}

export function describeTags(context: Ec2Context, input: DescribeTagsInput, _call: CallContext) {
  const all: TagDescription[] = Object.values(resourceTypes).flatMap(({ kind, resourceType }) =>
    context.store.list(kind).items.flatMap((object) => ((object.spec?.tags ?? []) as Tag[]).map((tag) => ({ ResourceId: object.metadata.name, ResourceType: resourceType, Key: tag.Key, Value: tag.Value }))),
  );
  const fields: Record<string, keyof TagDescription> = { "resource-id": "ResourceId", "resource-type": "ResourceType", key: "Key", value: "Value" };
  return { Tags: applyFilters(all, input.Filters, (tag, name) => (fields[name] ? tag[fields[name]] : undefined)) };
}
