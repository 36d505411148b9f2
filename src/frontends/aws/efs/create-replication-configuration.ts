// CreateReplicationConfiguration: POST /2015-02-01/file-systems/{SourceFileSystemId}/replication-
// configuration. Refused by name with 400 BadRequest after checking the input and the file system.
// Moor is one region on one machine: there is nowhere to replicate to, so no replication
// configuration ever exists.

import { availabilityZoneNameShape, badRequest, fileSystemIdShape, kmsKeyIdShape, regionNameShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { body, type EfsOperation, label, requireFileSystem, type StructureShape } from "./_operation.js";

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

export const createReplicationConfiguration: EfsOperation = {
  name: "CreateReplicationConfiguration",
  method: "POST",
  path: "/2015-02-01/file-systems/{SourceFileSystemId}/replication-configuration",
  run(context, request) {
    const id = label(request, "SourceFileSystemId", fileSystemIdShape, createAction);
    body(request, createInput, createAction);
    const fileSystem = requireFileSystem(context, id, createAction);
    throw badRequest(`${createAction}: replication is not supported by Moor (one region on one machine); file system ${quote(fileSystem.metadata.name)} is unchanged`);
  },
};
