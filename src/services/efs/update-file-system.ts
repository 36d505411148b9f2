// UpdateFileSystem: changes the throughput mode or provisioned throughput of an available file
// system. The state stays `available` (the change needs no time here) and AWS's 24-hour
// cool-down is not imposed.

import { fileSystemIdShape, provisionedThroughputShape, throughputModes, type UpdateFileSystemInput, updatedThroughput } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { describeFileSystem, type FileSystemDescription } from "./_describe.js";
import { changeFileSystem, checkBody, checkRequired, type StructureShape } from "./_operation.js";

const action = "Cannot update file system";

const inputShape: StructureShape = {
  type: "structure",
  members: { ThroughputMode: { type: "string", enum: throughputModes }, ProvisionedThroughputInMibps: provisionedThroughputShape },
};

export type UpdateFileSystemRequest = { FileSystemId: string } & UpdateFileSystemInput;

export function updateFileSystem(context: EfsContext, input: UpdateFileSystemRequest): FileSystemDescription {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const update = checkBody<UpdateFileSystemInput>(input, inputShape, action);
  const updated = changeFileSystem(context, id, action, (fileSystem) => ({ ...fileSystem, spec: updatedThroughput(fileSystem.spec, update, action) }), ["available"]);
  return describeFileSystem(context, updated);
}
