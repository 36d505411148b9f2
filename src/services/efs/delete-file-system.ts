// DeleteFileSystem: refused with FileSystemInUse while mount targets exist, whoever asks (the aws
// CLI, or kubectl deleting a FileSystem object). The file system turns `deleting`; the
// file-system controller then removes its data directory and access points and finally the
// object, after which DescribeFileSystems answers FileSystemNotFound.

import { efsError, fileSystemIdShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired, requireFileSystem } from "./_operation.js";

const action = "Cannot delete file system";

export interface DeleteFileSystemInput {
  FileSystemId: string;
}

export function deleteFileSystem(context: EfsContext, input: DeleteFileSystemInput): void {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
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
}
