// CreateTags (deprecated): POST /2015-02-01/create-tags/{FileSystemId} → 204. File systems only.

import { fileSystemIdShape, mergeTags, tagsFromWire, tagsShape, type WireTag } from "../../../domain/efs/mod.js";
import { body, type EfsOperation, label, noContent, requireFileSystem, type StructureShape } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot create tags";
const input: StructureShape = { type: "structure", required: ["Tags"], members: { Tags: tagsShape } };

export const createTags: EfsOperation = {
  name: "CreateTags",
  method: "POST",
  path: "/2015-02-01/create-tags/{FileSystemId}",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const added = tagsFromWire(body<{ Tags: WireTag[] }>(request, input, action).Tags, action);
    changeTags(context, requireFileSystem(context, id, action).metadata.name, action, (tags) => mergeTags(tags, added, action));
    return noContent();
  },
};
