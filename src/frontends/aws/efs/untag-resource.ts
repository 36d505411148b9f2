// UntagResource: DELETE /2015-02-01/resource-tags/{ResourceId}?tagKeys=a&tagKeys=b → 200.

import { checkShape, removeTags, resourceIdShape, tagKeysShape } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, ok } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot untag resource";

export const untagResource: EfsOperation = {
  name: "UntagResource",
  method: "DELETE",
  path: "/2015-02-01/resource-tags/{ResourceId}",
  run(context, request) {
    const resourceId = label(request, "ResourceId", resourceIdShape, action);
    const keys = request.query.getAll("tagKeys");
    checkShape(tagKeysShape, keys, "tagKeys", action);
    changeTags(context, resourceId, action, (tags) => removeTags(tags, keys));
    return ok();
  },
};
