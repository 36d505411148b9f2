// DeleteReplicationConfiguration: ReplicationNotFound for an existing file system. Moor is one
// region on one machine: there is nowhere to replicate to, so no replication configuration ever
// exists.

import { deletionModeShape, efsError, fileSystemIdShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { checkOptional, checkRequired, requireFileSystem } from "./_operation.js";

const deleteAction = "Cannot delete replication configuration";

export interface DeleteReplicationConfigurationInput {
  SourceFileSystemId: string;
  deletionMode?: string;
}

export function deleteReplicationConfiguration(context: EfsContext, input: DeleteReplicationConfigurationInput): never {
  const id = input.SourceFileSystemId;
  checkRequired(id, "SourceFileSystemId", fileSystemIdShape, deleteAction);
  checkOptional(input.deletionMode, "deletionMode", deletionModeShape, deleteAction);
  const fileSystem = requireFileSystem(context, id, deleteAction);
  throw efsError("ReplicationNotFound", `${deleteAction}: file system ${quote(fileSystem.metadata.name)} has no replication configuration; Moor does not replicate`);
}
