// CreateReplicationConfiguration: refused by name (BadRequest) after checking the input and the
// file system. Moor is one region on one machine: there is nowhere to replicate to, so no
// replication configuration ever exists.

import { availabilityZoneNameShape, badRequest, fileSystemIdShape, kmsKeyIdShape, regionNameShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { checkBody, checkRequired, requireFileSystem, type StructureShape } from "./_operation.js";

const createAction = "Cannot create replication configuration";
const createInput: StructureShape = {
  type: "structure",
  required: ["Destinations"],
  members: {
    Destinations: {
      type: "list",
      member: {
        type: "structure",
        members: {
          Region: regionNameShape,
          AvailabilityZoneName: availabilityZoneNameShape,
          KmsKeyId: kmsKeyIdShape,
          FileSystemId: fileSystemIdShape,
          RoleArn: { type: "string", max: 2048, pattern: /arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+/ },
        },
      },
    },
  },
};

export interface CreateReplicationConfigurationInput {
  SourceFileSystemId: string;
  Destinations: unknown[];
}

export function createReplicationConfiguration(context: EfsContext, input: CreateReplicationConfigurationInput): never {
  const id = input.SourceFileSystemId;
  checkRequired(id, "SourceFileSystemId", fileSystemIdShape, createAction);
  checkBody(input, createInput, createAction);
  const fileSystem = requireFileSystem(context, id, createAction);
  throw badRequest(`${createAction}: replication is not supported by Moor (one region on one machine); file system ${quote(fileSystem.metadata.name)} is unchanged`);
}
