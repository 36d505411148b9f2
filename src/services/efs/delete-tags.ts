// DeleteTags (deprecated): removes tags from a file system by key.

import { fileSystemIdShape, removeTags, tagKeysShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkBody, checkRequired, requireFileSystem, type StructureShape } from "./_operation.js";
import { changeTags } from "./_tagging.js";

const action = "Cannot delete tags";
const inputShape: StructureShape = { type: "structure", required: ["TagKeys"], members: { TagKeys: tagKeysShape } };

export interface DeleteTagsInput {
  FileSystemId: string;
  TagKeys: string[];
}

export function deleteTags(context: EfsContext, input: DeleteTagsInput): void {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const { TagKeys } = checkBody<{ TagKeys: string[] }>(input, inputShape, action);
  changeTags(context, requireFileSystem(context, id, action).metadata.name, action, (tags) => removeTags(tags, TagKeys));
}
