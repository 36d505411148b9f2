// DescribeReplicationConfigurations: GET /2015-02-01/file-systems/replication-configurations.
// An empty list, or ReplicationNotFound for an existing file system.
// Moor is one region on one machine: there is nowhere to replicate to, so no replication
// configuration ever exists.

import { efsError, fileSystemIdShape, pageSizeShape, pageTokenShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { type EfsOperation, ok, queryInteger, queryString, requireFileSystem } from "./_operation.js";

const describeAction = "Cannot describe replication configurations";

export const describeReplicationConfigurations: EfsOperation = {
  name: "DescribeReplicationConfigurations",
  method: "GET",
  path: "/2015-02-01/file-systems/replication-configurations",
  run(context, request) {
    const id = queryString(request, "FileSystemId", fileSystemIdShape, describeAction);
    queryString(request, "NextToken", pageTokenShape, describeAction);
    queryInteger(request, "MaxResults", pageSizeShape, describeAction);
    if (id === undefined) return ok({ Replications: [] });
    const fileSystem = requireFileSystem(context, id, describeAction);
    throw efsError("ReplicationNotFound", `${describeAction}: file system ${quote(fileSystem.metadata.name)} has no replication configuration; Moor does not replicate`);
  },
};
