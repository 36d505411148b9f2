// DeleteTags (deprecated): POST /2015-02-01/delete-tags/{FileSystemId} → 204. File systems only.

import { fileSystemIdShape, removeTags, tagKeysShape } from "../../../domain/efs/mod.js";
import { body, type EfsOperation, label, noContent, requireFileSystem, type StructureShape } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot delete tags";
const input: StructureShape = { type: "structure", required: ["TagKeys"], members: { TagKeys: tagKeysShape } };

export const deleteTags: EfsOperation = {
  name: "DeleteTags",
  method: "POST",
  path: "/2015-02-01/delete-tags/{FileSystemId}",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const { TagKeys } = body<{ TagKeys: string[] }>(request, input, action);
    changeTags(context, requireFileSystem(context, id, action).metadata.name, action, (tags) => removeTags(tags, TagKeys));
    return noContent();
  },
};
