// DescribeReplicationConfigurations: an empty list, or ReplicationNotFound for an existing file
// system. Moor is one region on one machine: there is nowhere to replicate to.

import { efsError, fileSystemIdShape, pageSizeShape, pageTokenShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { checkOptional, requireFileSystem } from "./_operation.js";

const describeAction = "Cannot describe replication configurations";

export interface DescribeReplicationConfigurationsInput {
  FileSystemId?: string;
  NextToken?: string;
  MaxResults?: number;
}

export function describeReplicationConfigurations(context: EfsContext, input: DescribeReplicationConfigurationsInput): { Replications: never[] } {
  checkOptional(input.FileSystemId, "FileSystemId", fileSystemIdShape, describeAction);
  const id = input.FileSystemId;
  checkOptional(input.NextToken, "NextToken", pageTokenShape, describeAction);
  checkOptional(input.MaxResults, "MaxResults", pageSizeShape, describeAction);
  if (id === undefined) return { Replications: [] };
  const fileSystem = requireFileSystem(context, id, describeAction);
  throw efsError("ReplicationNotFound", `${describeAction}: file system ${quote(fileSystem.metadata.name)} has no replication configuration; Moor does not replicate`);
}
