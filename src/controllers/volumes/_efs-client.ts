// The provisioner's view of EFS: the EFS API itself, over HTTP on Moor's AWS endpoint, as the
// real CSI controller calls AWS. Going through the API keeps one set of rules (client tokens,
// quotas, validation) for the aws CLI and for provisioning alike.

import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { invalid, limitExceeded, MoorError, notFound, unavailable } from "../../errors/mod.js";
import type { AccessPointPort } from "./_provisioner.js";

const pageSize = 1000;
const requestTimeoutMs = 15_000;

export function createEfsAccessPoints(endpoint: string, backingRoot: string): AccessPointPort {
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; code?: string; json: any }> => {
    const response = await fetch(`${endpoint}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: "moor-internal" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    return { status: response.status, code: response.headers.get("x-amzn-errortype")?.split(":")[0] ?? undefined, json };
  };
  const describe = async (accessPointId: string) => {
    const result = await call("GET", `/2015-02-01/access-points?AccessPointId=${encodeURIComponent(accessPointId)}`);
    if (result.code === "AccessPointNotFound") return undefined;
    if (result.status !== 200) throw asError(result, `Cannot describe access point "${accessPointId}"`);
    return result.json.AccessPoints?.[0];
  };
  return {
    async create(input) {
      const result = await call("POST", "/2015-02-01/access-points", {
        ClientToken: input.clientToken,
        FileSystemId: input.fileSystemId,
        PosixUser: { Uid: input.posixUser.uid, Gid: input.posixUser.gid },
        RootDirectory: {
          Path: input.rootDirectory.path,
          CreationInfo: { OwnerUid: input.rootDirectory.creationInfo.ownerUid, OwnerGid: input.rootDirectory.creationInfo.ownerGid, Permissions: input.rootDirectory.creationInfo.permissions },
        },
        Tags: input.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
      });
      let description = result.json;
      if (result.code === "AccessPointAlreadyExists" && result.json.AccessPointId) {
        description = await describe(result.json.AccessPointId);
      } else if (result.status !== 200) {
        throw asError(result, `Cannot create an access point on file system "${input.fileSystemId}"`);
      }
      return {
        accessPointId: description.AccessPointId,
        posixUser: { uid: description.PosixUser?.Uid ?? input.posixUser.uid, gid: description.PosixUser?.Gid ?? input.posixUser.gid },
        rootPath: description.RootDirectory?.Path ?? input.rootDirectory.path,
      };
    },
    async delete(accessPointId) {
      const result = await call("DELETE", `/2015-02-01/access-points/${encodeURIComponent(accessPointId)}`);
      if (result.status !== 204 && result.code !== "AccessPointNotFound") throw asError(result, `Cannot delete access point "${accessPointId}"`);
    },
    async usedGids(fileSystemId) {
      const gids: number[] = [];
      let token: string | undefined;
      do {
        const query = `FileSystemId=${encodeURIComponent(fileSystemId)}&MaxResults=${pageSize}${token ? `&NextToken=${encodeURIComponent(token)}` : ""}`;
        const result = await call("GET", `/2015-02-01/access-points?${query}`);
        if (result.status !== 200) throw asError(result, `Cannot list the access points of file system "${fileSystemId}"`);
        for (const point of result.json.AccessPoints ?? []) if (point.PosixUser) gids.push(point.PosixUser.Gid);
        token = result.json.NextToken;
      } while (token);
      return gids;
    },
    async describe(accessPointId) {
      const description = await describe(accessPointId);
      return description && { fileSystemId: description.FileSystemId, rootPath: description.RootDirectory?.Path ?? "/" };
    },
    async removeDirectory(fileSystemId, path) {
      const root = resolve(backingRoot, fileSystemId);
      const target = resolve(join(root, path));
      // Never the file system's root, never outside it (aws-efs-csi-driver#1085 wiped whole file systems).
      if (!target.startsWith(`${root}/`)) throw invalid(`Cannot delete directory "${path}" of file system "${fileSystemId}": it is the root or outside it`);
      await rm(target, { recursive: true, force: true });
    },
  };
}

function asError(result: { status: number; code?: string; json: any }, action: string): MoorError {
  const message = `${action}: ${result.code ?? result.status}: ${result.json.Message ?? result.json.message ?? "no message"}`;
  if (result.code?.endsWith("NotFound")) return notFound(message);
  if (result.code === "AccessPointLimitExceeded") return limitExceeded(message);
  if (result.status === 400) return invalid(message);
  return unavailable(message);
}
