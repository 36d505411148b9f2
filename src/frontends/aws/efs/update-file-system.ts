// UpdateFileSystem: PUT /2015-02-01/file-systems/{FileSystemId} → 202 FileSystemDescription.
// Changes the throughput mode or provisioned throughput of an available file system. The state
// stays `available` (the change needs no time here) and AWS's 24-hour cool-down is not imposed.

import { fileSystemIdShape, provisionedThroughputShape, throughputModes, type UpdateFileSystemInput, updatedThroughput } from "../../../domain/efs/mod.js";
import { describeFileSystem } from "./_describe.js";
import { body, changeFileSystem, type EfsOperation, label, type StructureShape } from "./_operation.js";

const action = "Cannot update file system";

const input: StructureShape = {
  type: "structure",
  members: { ThroughputMode: { type: "string", enum: throughputModes }, ProvisionedThroughputInMibps: provisionedThroughputShape },
};

export const updateFileSystem: EfsOperation = {
  name: "UpdateFileSystem",
  method: "PUT",
  path: "/2015-02-01/file-systems/{FileSystemId}",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const update = body<UpdateFileSystemInput>(request, input, action);
    const updated = changeFileSystem(context, id, action, (fileSystem) => ({ ...fileSystem, spec: updatedThroughput(fileSystem.spec, update, action) }), ["available"]);
    return { status: 202, body: describeFileSystem(context, updated) };
  },
};
