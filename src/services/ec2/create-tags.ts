// CreateTags: adds or overwrites tags on VPCs, subnets and security groups.

import type { Tag } from "../../domain/securitygroups/mod.js";
import type { CallContext, Ec2Context } from "./_context.js";
import { changeTags } from "./_tagging.js";

export interface CreateTagsInput {
  Resources: string[];
  Tags: Tag[];
}

export function createTags(context: Ec2Context, input: CreateTagsInput, _call: CallContext): void {
  const given = input.Tags.map((tag) => ({ Key: tag.Key, Value: tag.Value ?? "" }));
  changeTags(context, input.Resources, (tags) => [...tags.filter((tag) => !given.some((next) => next.Key === tag.Key)), ...given]);
}
