// UpdateFileSystemProtection: PUT /2015-02-01/file-systems/{FileSystemId}/protection → 200
// {ReplicationOverwriteProtection}. ENABLED and DISABLED are recorded; REPLICATING is a state
// that only replication sets, and is refused.

import { badRequest, fileSystemIdShape, type ReplicationOverwriteProtection, replicationOverwriteProtectionShape } from "../../../domain/efs/mod.js";
import { body, changeFileSystem, type EfsOperation, label, ok, type StructureShape } from "./_operation.js";

const action = "Cannot update file system protection";
const input: StructureShape = { type: "structure", members: { ReplicationOverwriteProtection: replicationOverwriteProtectionShape } };

export const updateFileSystemProtection: EfsOperation = {
  name: "UpdateFileSystemProtection",
  method: "PUT",
  path: "/2015-02-01/file-systems/{FileSystemId}/protection",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const { ReplicationOverwriteProtection: wanted } = body<{ ReplicationOverwriteProtection?: ReplicationOverwriteProtection }>(request, input, action);
    if (wanted === "REPLICATING") throw badRequest(`${action}: ReplicationOverwriteProtection "REPLICATING" is set by replication only`);
    const updated = changeFileSystem(context, id, action, (fileSystem) =>
      wanted === undefined ? fileSystem : { ...fileSystem, spec: { ...fileSystem.spec, replicationOverwriteProtection: wanted } },
    );
    return ok({ ReplicationOverwriteProtection: updated.spec.replicationOverwriteProtection });
  },
};
