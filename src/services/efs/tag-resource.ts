// TagResource: adds or replaces tags on a file system or an access point (at most 50 per
// resource).

import { mergeTags, resourceIdShape, tagsFromWire, tagsShape, type WireTag } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkBody, checkRequired, type StructureShape } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot tag resource";
const inputShape: StructureShape = { type: "structure", required: ["Tags"], members: { Tags: tagsShape } };

export interface TagResourceInput {
  ResourceId: string;
  Tags: WireTag[];
}

export function tagResource(context: EfsContext, input: TagResourceInput): void {
  const resourceId = input.ResourceId;
  checkRequired(resourceId, "ResourceId", resourceIdShape, action);
  const added = tagsFromWire(checkBody<{ Tags: WireTag[] }>(input, inputShape, action).Tags, action);
  changeTags(context, resourceId, action, (tags) => mergeTags(tags, added, action));
}
