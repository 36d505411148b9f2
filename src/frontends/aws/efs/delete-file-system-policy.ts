// DeleteFileSystemPolicy: DELETE /2015-02-01/file-systems/{FileSystemId}/policy → 200 (not 204);
// the default policy applies again.

import { fileSystemIdShape } from "../../../domain/efs/mod.js";
import { changeFileSystem, type EfsOperation, label, ok } from "./_operation.js";

const action = "Cannot delete file system policy";

export const deleteFileSystemPolicy: EfsOperation = {
  name: "DeleteFileSystemPolicy",
  method: "DELETE",
  path: "/2015-02-01/file-systems/{FileSystemId}/policy",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    changeFileSystem(context, id, action, (fileSystem) => {
      const { policy: _removed, ...spec } = fileSystem.spec;
      return { ...fileSystem, spec };
    });
    return ok();
  },
};
