// CreateAccessPoint → AccessPointDescription, `creating`. The client token is claimed atomically
// with the write (AccessPointAlreadyExists carrying the existing id, which the EFS CSI driver
// relies on); a file system holds at most 10,000 access points (AccessPointLimitExceeded).

import {
  type AccessPointObject,
  accessPointArn,
  accessPointKind,
  accessPointsPerFileSystemMax,
  type CreateAccessPointInput,
  efsApiVersion,
  efsError,
  fileSystemIdShape,
  fileSystemLabel,
  newAccessPointId,
  newAccessPointSpec,
  posixUserShape,
  rootDirectoryShape,
  tagsShape,
  tokenShape,
} from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { type AccessPointDescription, describeAccessPoint } from "./_describe.js";
import { checkBody, requireFileSystem, requireState, type StructureShape } from "./_operation.js";

const action = "Cannot create access point";

const inputShape: StructureShape = {
  type: "structure",
  required: ["ClientToken", "FileSystemId"],
  members: {
    ClientToken: tokenShape,
    Tags: tagsShape,
    FileSystemId: fileSystemIdShape,
    PosixUser: posixUserShape,
    RootDirectory: rootDirectoryShape,
  },
};

export function createAccessPoint(context: EfsContext, input: CreateAccessPointInput): AccessPointDescription {
  const request = checkBody<CreateAccessPointInput>(input, inputShape, action);
  const created = context.store.transaction(() => {
    const existing = context.index.accessPointByToken(request.ClientToken);
    if (existing !== undefined && context.store.get({ kind: accessPointKind, name: existing })) {
      throw efsError("AccessPointAlreadyExists", `${action}: the client token ${quote(request.ClientToken)} is already used by access point ${quote(existing)}`, {
        AccessPointId: existing,
      });
    }
    const fileSystem = requireFileSystem(context, request.FileSystemId, action);
    requireState(fileSystem, ["available"], action);
    const fileSystemId = fileSystem.metadata.name;
    const count = context.index.accessPointsOf(fileSystemId).length;
    if (count >= accessPointsPerFileSystemMax) {
      throw efsError("AccessPointLimitExceeded", `${action}: file system ${quote(fileSystemId)} already has ${count} access points, the most it may have`);
    }
    const spec = newAccessPointSpec(request, fileSystemId, action);
    const id = unusedId(context);
    const object: AccessPointObject = {
      apiVersion: efsApiVersion,
      kind: accessPointKind,
      metadata: { name: id, labels: { [fileSystemLabel]: fileSystemId } },
      spec,
      status: { lifeCycleState: "creating", ownerId: context.accountId, accessPointArn: accessPointArn(context.region, context.accountId, id) },
    };
    return context.store.create(object) as AccessPointObject;
  });
  return describeAccessPoint(created);
}

function unusedId(context: EfsContext): string {
  for (;;) {
    const id = newAccessPointId(context.randomHex());
    if (!context.store.get({ kind: accessPointKind, name: id })) return id;
  }
}
