// TagResource: POST /2015-02-01/resource-tags/{ResourceId} → 200. Adds or replaces tags on a
// file system or an access point (at most 50 per resource).

import { mergeTags, resourceIdShape, tagsFromWire, tagsShape, type WireTag } from "../../../domain/efs/mod.js";
import { body, type EfsOperation, label, ok, type StructureShape } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot tag resource";
const input: StructureShape = { type: "structure", required: ["Tags"], members: { Tags: tagsShape } };

export const tagResource: EfsOperation = {
  name: "TagResource",
  method: "POST",
  path: "/2015-02-01/resource-tags/{ResourceId}",
  run(context, request) {
    const resourceId = label(request, "ResourceId", resourceIdShape, action);
    const added = tagsFromWire(body<{ Tags: WireTag[] }>(request, input, action).Tags, action);
    changeTags(context, resourceId, action, (tags) => mergeTags(tags, added, action));
    return ok();
  },
};
