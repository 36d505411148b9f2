// DeleteFileSystem: DELETE /2015-02-01/file-systems/{FileSystemId} → 204. Refused with 409
// FileSystemInUse while mount targets exist. The file system turns `deleting`; the file-system
// controller then removes its data directory and access points and finally the object, after
// which DescribeFileSystems answers FileSystemNotFound.

import { efsError, fileSystemIdShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { type EfsOperation, label, noContent, requireFileSystem } from "./_operation.js";

const action = "Cannot delete file system";

export const deleteFileSystem: EfsOperation = {
  name: "DeleteFileSystem",
  method: "DELETE",
  path: "/2015-02-01/file-systems/{FileSystemId}",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    context.store.transaction(() => {
      const fileSystem = requireFileSystem(context, id, action);
      if (fileSystem.status.lifeCycleState === "deleting") return;
      const mountTargets = context.index.mountTargetsOf(fileSystem.metadata.name);
      if (mountTargets.length > 0) {
        throw efsError(
          "FileSystemInUse",
          `${action}: file system ${quote(fileSystem.metadata.name)} has ${mountTargets.length} mount target(s) (${mountTargets.map((mt) => quote(mt)).join(", ")}); delete them first`,
        );
      }
      context.store.update({ ...fileSystem, status: { ...fileSystem.status, lifeCycleState: "deleting" } });
    });
    return noContent();
  },
};
