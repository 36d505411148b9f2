// CreateTags (deprecated): adds or replaces tags on a file system (at most 50).

import { fileSystemIdShape, mergeTags, tagsFromWire, tagsShape, type WireTag } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkBody, checkRequired, requireFileSystem, type StructureShape } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot create tags";
const inputShape: StructureShape = { type: "structure", required: ["Tags"], members: { Tags: tagsShape } };

export interface CreateTagsInput {
  FileSystemId: string;
  Tags: WireTag[];
}

export function createTags(context: EfsContext, input: CreateTagsInput): void {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const added = tagsFromWire(checkBody<{ Tags: WireTag[] }>(input, inputShape, action).Tags, action);
  changeTags(context, requireFileSystem(context, id, action).metadata.name, action, (tags) => mergeTags(tags, added, action));
}
