// DeleteFileSystemPolicy: the default policy applies again.

import { fileSystemIdShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { changeFileSystem, checkRequired } from "./_operation.js";

const action = "Cannot delete file system policy";

export interface DeleteFileSystemPolicyInput {
  FileSystemId: string;
}

export function deleteFileSystemPolicy(context: EfsContext, input: DeleteFileSystemPolicyInput): void {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  changeFileSystem(context, id, action, (fileSystem) => {
    const { policy: _removed, ...spec } = fileSystem.spec;
    return { ...fileSystem, spec };
  });
}
