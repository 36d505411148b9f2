// UpdateFileSystemProtection: ENABLED and DISABLED are recorded; REPLICATING is a state that
// only replication sets, and is refused.

import { badRequest, fileSystemIdShape, type ReplicationOverwriteProtection, replicationOverwriteProtectionShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { changeFileSystem, checkBody, checkRequired, type StructureShape } from "./_operation.js";

const action = "Cannot update file system protection";
const inputShape: StructureShape = { type: "structure", members: { ReplicationOverwriteProtection: replicationOverwriteProtectionShape } };

export interface UpdateFileSystemProtectionInput {
  FileSystemId: string;
  ReplicationOverwriteProtection?: ReplicationOverwriteProtection;
}

export function updateFileSystemProtection(context: EfsContext, input: UpdateFileSystemProtectionInput): { ReplicationOverwriteProtection: ReplicationOverwriteProtection } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const { ReplicationOverwriteProtection: wanted } = checkBody<{ ReplicationOverwriteProtection?: ReplicationOverwriteProtection }>(input, inputShape, action);
  if (wanted === "REPLICATING") throw badRequest(`${action}: ReplicationOverwriteProtection "REPLICATING" is set by replication only`);
  const updated = changeFileSystem(context, id, action, (fileSystem) =>
    wanted === undefined ? fileSystem : { ...fileSystem, spec: { ...fileSystem.spec, replicationOverwriteProtection: wanted } },
  );
  return { ReplicationOverwriteProtection: updated.spec.replicationOverwriteProtection };
}
