// delete and deletecollection. Options come from a DeleteOptions body or query parameters.
// Objects an AWS service owns are deleted through it (see _services.ts); for the rest, the
// decision (remove now, or mark and let the agent, the garbage collector or a finalizer finish)
// is the domain's `decideDeletion`, shared with the controllers.

import { decideDeletion, type DeletionRequest, type Propagation, type ResourceType } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type ApiContext, deletionContext } from "./_context.js";
import { isPlainObject, parseSeconds } from "./_http.js";
import { getObject, listObjects } from "./_read.js";
import { deleteThroughService, ownedByService } from "./_services.js";
import { badRequest, HttpError, translateStoreError } from "./_status.js";

export interface DeleteRequest extends DeletionRequest {
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const propagations = ["Background", "Foreground", "Orphan"];
/** The namespaces upstream's lifecycle admission never lets go. */
const undeletableNamespaces = ["default", "kube-system", "kube-public"];

export function deleteRequest(query: URLSearchParams, body: unknown): DeleteRequest {
  const options = isPlainObject(body) ? body : {};
  if (options.kind !== undefined && options.kind !== "DeleteOptions") throw badRequest(`the body of a delete must be DeleteOptions, not ${String(options.kind)}`);
  const grace = options.gracePeriodSeconds ?? parseSeconds(query.get("gracePeriodSeconds"), "gracePeriodSeconds");
  let propagation = options.propagationPolicy ?? query.get("propagationPolicy") ?? undefined;
  const orphan = options.orphanDependents ?? (query.get("orphanDependents") === null ? undefined : query.get("orphanDependents") === "true");
  if (propagation === undefined && orphan !== undefined) propagation = orphan ? "Orphan" : "Background";
  if (propagation !== undefined && !propagations.includes(propagation)) {
    throw new HttpError(422, "Invalid", `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${propagation}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  if (grace !== undefined && (typeof grace !== "number" || !Number.isInteger(grace))) throw badRequest("gracePeriodSeconds must be an integer");
  const dryRun = [...query.getAll("dryRun"), ...(Array.isArray(options.dryRun) ? options.dryRun : [])];
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: propagation as Propagation | undefined,
    dryRun: dryRun.includes("All"),
    preconditions: isPlainObject(options.preconditions) ? options.preconditions : undefined,
  };
}

/** Deletes one object; returns what the response carries (the object as last stored or marked). */
export function deleteObject(api: ApiContext, resource: ResourceType, namespace: string | undefined, name: string, request: DeleteRequest): StoredObject {
  const object = getObject(api, resource, namespace, name);
  if (resource.kind === "Namespace" && undeletableNamespaces.includes(name)) {
    throw new HttpError(403, "Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: "namespaces" });
  }
  const preconditions = request.preconditions;
  if (preconditions?.uid && preconditions.uid !== object.metadata.uid) {
    throw new HttpError(409, "Conflict", `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${object.metadata.uid}`);
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== object.metadata.resourceVersion) {
    throw new HttpError(
      409,
      "Conflict",
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion}`,
    );
  }
  if (ownedByService(resource) && !request.dryRun) return deleteThroughService(api, resource, object);
  const decision = decideDeletion(object, request, deletionContext(api));
  if (request.dryRun || decision.action === "none") return decision.action === "mark" ? decision.object : object;
  const key = { kind: resource.kind, namespace: object.metadata.namespace ?? "", name };
  try {
    if (decision.action === "remove") return api.store.delete(key, { expectedRevision: object.metadata.resourceVersion });
    return api.store.update(decision.object, { expectedRevision: object.metadata.resourceVersion });
  } catch (error) {
    throw translateStoreError(error, resource, name);
  }
}

export function deleteCollection(api: ApiContext, resource: ResourceType, namespace: string | undefined, query: URLSearchParams, request: DeleteRequest): StoredObject[] {
  const page = listObjects(api, resource, namespace, query);
  const deleted: StoredObject[] = [];
  for (const item of page.items) {
    try {
      deleted.push(deleteObject(api, resource, item.metadata.namespace, item.metadata.name, request));
    } catch (error) {
      // An object that went away meanwhile is already what the caller asked for.
      if (!(error instanceof HttpError && error.code === 404)) throw error;
    }
  }
  return deleted;
}
