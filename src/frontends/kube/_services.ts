// The kinds an AWS service owns (FileSystem, AccessPoint and MountTarget: the EFS service;
// FargateProfile: the EKS service) are written through that service, so kubectl meets the same
// rules and refusals as the aws CLI and `moor`: `kubectl delete filesystem` of a file system
// with mount targets is refused with EFS's FileSystemInUse text. The service's error becomes a
// Kubernetes Status with upstream's reason for its category and the AWS code as the cause.

import type { ResourceType } from "../../domain/kube/mod.js";
import { type ErrorCategory, isMoorError } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { HttpError } from "./_status.js";

const serviceKinds = new Set(["FileSystem", "AccessPoint", "MountTarget", "FargateProfile"]);

/** True when writes of this kind go through an AWS service. */
export function ownedByService(resource: ResourceType): boolean {
  return serviceKinds.has(resource.kind);
}

/** Creates the object through its service (only FargateProfile: the EFS kinds are read-only here). */
export function createThroughService(api: ApiContext, resource: ResourceType, object: StoredObject): StoredObject {
  const name = object.metadata.name;
  if (resource.kind !== "FargateProfile") {
    throw new HttpError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`, { name, group: resource.group, kind: resource.plural });
  }
  const spec = object.spec ?? {};
  const { labels, annotations } = object.metadata;
  return throughService(resource, name, () =>
    api.eks.createFargateProfile({
      name,
      selectors: spec.selectors,
      subnets: spec.subnets,
      podExecutionRoleArn: spec.podExecutionRoleArn,
      tags: spec.tags,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    }),
  );
}

/** Deletes the object through its service; answers with the object as it is now (or was). */
export function deleteThroughService(api: ApiContext, resource: ResourceType, object: StoredObject): StoredObject {
  const name = object.metadata.name;
  return throughService(resource, name, () => {
    switch (resource.kind) {
      case "FileSystem":
        api.efs.deleteFileSystem({ FileSystemId: name });
        break;
      case "AccessPoint":
        api.efs.deleteAccessPoint({ AccessPointId: name });
        break;
      case "MountTarget":
        api.efs.deleteMountTarget({ MountTargetId: name });
        break;
      case "FargateProfile":
        return api.eks.deleteFargateProfile(name);
    }
    return api.store.get({ kind: resource.kind, name }) ?? object;
  });
}

/** Upstream's code and reason for each error category a service throws. */
const statusOfCategory: Record<ErrorCategory, [number, string]> = {
  NotFound: [404, "NotFound"],
  AlreadyExists: [409, "AlreadyExists"],
  Conflict: [409, "Conflict"],
  // Not 422 Invalid: kubectl prints an Invalid status as field causes, and these refusals name
  // no field of the object but a rule of the service, which the message states whole.
  Invalid: [400, "BadRequest"],
  Unsupported: [400, "BadRequest"],
  Unavailable: [503, "ServiceUnavailable"],
  // Upstream's quota admission answers 403 Forbidden: retrying does not help.
  LimitExceeded: [403, "Forbidden"],
  Expired: [410, "Expired"],
  Forbidden: [403, "Forbidden"],
};

function throughService<T>(resource: ResourceType, name: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!isMoorError(error)) throw error;
    const [code, reason] = statusOfCategory[error.category];
    const cause = { reason: error.code ?? error.category, message: error.message };
    throw new HttpError(code, reason, error.message, { name, group: resource.group, kind: resource.plural, causes: [cause] });
  }
}
