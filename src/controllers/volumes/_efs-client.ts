// The provisioner's view of EFS, in process: the EFS service's own operations, so provisioning
// meets the same rules as the aws CLI (client tokens, quotas, validation), as the real CSI
// controller calls AWS; and the backing-store layout for removing an access point's directory.

import { removeDirectoryInFileSystem } from "../../engines/filesystems/mod.js";
import { isMoorError } from "../../errors/mod.js";
import type { AccessPointDescription, EfsOperations } from "../../services/efs/mod.js";
import type { AccessPointPort } from "./_provisioner.js";

const pageSize = 1000;

/** The EFS operations provisioning calls. */
export type AccessPointOperations = Pick<EfsOperations, "createAccessPoint" | "deleteAccessPoint" | "describeAccessPoints">;

export function createEfsAccessPoints(efs: AccessPointOperations, backingRoot: string): AccessPointPort {
  const describe = (accessPointId: string): AccessPointDescription | undefined =>
    ignoring("AccessPointNotFound", () => efs.describeAccessPoints({ AccessPointId: accessPointId }).AccessPoints[0]);
  return {
    async create(input) {
      let description: AccessPointDescription | undefined;
      try {
        description = efs.createAccessPoint({
          ClientToken: input.clientToken,
          FileSystemId: input.fileSystemId,
          PosixUser: { Uid: input.posixUser.uid, Gid: input.posixUser.gid },
          RootDirectory: {
            Path: input.rootDirectory.path,
            CreationInfo: { OwnerUid: input.rootDirectory.creationInfo.ownerUid, OwnerGid: input.rootDirectory.creationInfo.ownerGid, Permissions: input.rootDirectory.creationInfo.permissions },
          },
          Tags: input.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
        });
      } catch (error) {
        // The same client token again: the access point made the first time serves (CSI retries).
        const existing = isMoorError(error) && error.code === "AccessPointAlreadyExists" ? error.details?.AccessPointId : undefined;
        if (typeof existing !== "string") throw error;
        description = describe(existing);
        if (!description) throw error;
      }
      return {
        accessPointId: description.AccessPointId,
        posixUser: { uid: description.PosixUser?.Uid ?? input.posixUser.uid, gid: description.PosixUser?.Gid ?? input.posixUser.gid },
        rootPath: description.RootDirectory.Path,
      };
    },
    async delete(accessPointId) {
      ignoring("AccessPointNotFound", () => efs.deleteAccessPoint({ AccessPointId: accessPointId }));
    },
    async usedGids(fileSystemId) {
      const gids: number[] = [];
      let token: string | undefined;
      do {
        const page = efs.describeAccessPoints({ FileSystemId: fileSystemId, MaxResults: pageSize, ...(token ? { NextToken: token } : {}) });
        for (const point of page.AccessPoints) if (point.PosixUser) gids.push(point.PosixUser.Gid);
        token = page.NextToken;
      } while (token);
      return gids;
    },
    async describe(accessPointId) {
      const description = describe(accessPointId);
      return description && { fileSystemId: description.FileSystemId, rootPath: description.RootDirectory.Path };
    },
    async removeDirectory(fileSystemId, path) {
      // Never the root, never outside it, never through a link (see the engine).
      await removeDirectoryInFileSystem(backingRoot, fileSystemId, path);
    },
  };
}

/** The call's result, or undefined when it fails with the EFS error `code`. */
function ignoring<T>(code: string, call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    if (isMoorError(error) && error.code === code) return undefined;
    throw error;
  }
}
