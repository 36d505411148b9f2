// CreateFileSystem → FileSystemDescription, `creating`. The creation token is claimed atomically
// with the write: the same token again is FileSystemAlreadyExists carrying the existing id.

import {
  availabilityZoneNameShape,
  type CreateFileSystemInput,
  efsApiVersion,
  efsError,
  emptySize,
  fileSystemArn,
  type FileSystemObject,
  fileSystemKind,
  fileSystemsPerAccountMax,
  kmsKeyIdShape,
  newFileSystemId,
  newFileSystemSpec,
  performanceModes,
  provisionedThroughputShape,
  tagsShape,
  throughputModes,
  tokenShape,
} from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { describeFileSystem, type FileSystemDescription } from "./_describe.js";
import { checkBody, type StructureShape } from "./_operation.js";

const action = "Cannot create file system";

const inputShape: StructureShape = {
  type: "structure",
  required: ["CreationToken"],
  members: {
    CreationToken: tokenShape,
    PerformanceMode: { type: "string", enum: performanceModes },
    Encrypted: { type: "boolean" },
    KmsKeyId: kmsKeyIdShape,
    ThroughputMode: { type: "string", enum: throughputModes },
    ProvisionedThroughputInMibps: provisionedThroughputShape,
    AvailabilityZoneName: availabilityZoneNameShape,
    Backup: { type: "boolean" },
    Tags: tagsShape,
  },
};

export function createFileSystem(context: EfsContext, input: CreateFileSystemInput): FileSystemDescription {
  const request = checkBody<CreateFileSystemInput>(input, inputShape, action);
  const { spec, availabilityZoneId } = newFileSystemSpec(request, context, action);
  const created = context.store.transaction(() => {
    const existing = context.index.fileSystemByToken(spec.creationToken);
    if (existing !== undefined && context.store.get({ kind: fileSystemKind, name: existing })) {
      throw efsError("FileSystemAlreadyExists", `${action}: the creation token ${quote(spec.creationToken)} is already used by file system ${quote(existing)}`, {
        FileSystemId: existing,
      });
    }
    if (context.index.fileSystemCount() >= fileSystemsPerAccountMax) {
      throw efsError("FileSystemLimitExceeded", `${action}: the account already has ${fileSystemsPerAccountMax} file systems`);
    }
    const id = unusedId(context);
    const object: FileSystemObject = {
      apiVersion: efsApiVersion,
      kind: fileSystemKind,
      metadata: { name: id },
      spec,
      status: {
        lifeCycleState: "creating",
        ownerId: context.accountId,
        fileSystemArn: fileSystemArn(context.region, context.accountId, id),
        ...(availabilityZoneId === undefined ? {} : { availabilityZoneId }),
        sizeInBytes: emptySize(),
        numberOfMountTargets: 0,
      },
    };
    return context.store.create(object) as FileSystemObject;
  });
  return describeFileSystem(context, created);
}

function unusedId(context: EfsContext): string {
  for (;;) {
    const id = newFileSystemId(context.randomHex());
    if (!context.store.get({ kind: fileSystemKind, name: id })) return id;
  }
}
