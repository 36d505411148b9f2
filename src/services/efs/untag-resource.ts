// UntagResource: removes tags from a file system or an access point by key.

import { checkShape, removeTags, resourceIdShape, tagKeysShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot untag resource";

export interface UntagResourceInput {
  ResourceId: string;
  TagKeys: string[];
}

export function untagResource(context: EfsContext, input: UntagResourceInput): void {
  const resourceId = input.ResourceId;
  checkRequired(resourceId, "ResourceId", resourceIdShape, action);
  const keys = input.TagKeys;
  checkShape(tagKeysShape, keys, "tagKeys", action);
  changeTags(context, resourceId, action, (tags) => removeTags(tags, keys));
}
