// DeleteReplicationConfiguration: DELETE /2015-02-01/file-systems/{SourceFileSystemId}/
// replication-configuration. ReplicationNotFound for an existing file system.
// Moor is one region on one machine: there is nowhere to replicate to, so no replication
// configuration ever exists.

import { deletionModeShape, efsError, fileSystemIdShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { type EfsOperation, label, queryString, requireFileSystem } from "./_operation.js";

const deleteAction = "Cannot delete replication configuration";

export const deleteReplicationConfiguration: EfsOperation = {
  name: "DeleteReplicationConfiguration",
  method: "DELETE",
  path: "/2015-02-01/file-systems/{SourceFileSystemId}/replication-configuration",
  run(context, request) {
    const id = label(request, "SourceFileSystemId", fileSystemIdShape, deleteAction);
    queryString(request, "deletionMode", deletionModeShape, deleteAction);
    const fileSystem = requireFileSystem(context, id, deleteAction);
    throw efsError("ReplicationNotFound", `${deleteAction}: file system ${quote(fileSystem.metadata.name)} has no replication configuration; Moor does not replicate`);
  },
};
