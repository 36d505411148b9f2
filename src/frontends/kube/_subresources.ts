// The scale, binding, eviction and namespace finalize subresources (status goes through the
// shared write path with target "status"; log and exec have their own files).

import { invalidObject, invalidValue, selectorString } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type ApiContext, timestamp } from "./_context.js";
import { isPlainObject } from "./_http.js";
import { applyPatch } from "./_patch.js";
import { getObject } from "./_read.js";
import type { ResourceRoute } from "./_route.js";
import { deleteObject } from "./_delete.js";
import { badRequest, HttpError, translateStoreError } from "./_status.js";
import { updateObject, type WriteOptions } from "./_write.js";

export function scaleOf(object: StoredObject) {
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: object.spec?.replicas ?? 0 },
    status: { replicas: object.status?.replicas ?? 0, selector: selectorString(object.spec?.selector) },
  };
}

/** PUT or PATCH of /scale: only spec.replicas changes, with the Scale's resourceVersion as precondition. */
export function writeScale(api: ApiContext, route: ResourceRoute, change: { body?: unknown; patch?: { type: string; document: unknown } }, options: WriteOptions): StoredObject {
  const { resource, namespace } = route;
  const name = route.name!;
  const old = getObject(api, resource, namespace, name);
  let scale: any = change.body;
  if (change.patch) scale = applyPatch(change.patch.type, scaleOf(old), change.patch.document, "Scale");
  if (!isPlainObject(scale) || !isPlainObject(scale.spec)) throw badRequest("the object provided is unrecognized (must be of type Scale)");
  const replicas = scale.spec.replicas ?? 0;
  if (typeof replicas !== "number" || !Number.isInteger(replicas)) {
    throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  }
  if (replicas < 0) {
    throw invalidObject("Scale.autoscaling", name, [invalidValue("spec.replicas", replicas, "must be greater than or equal to 0")]);
  }
  const expected = scale.metadata?.resourceVersion;
  const next = structuredClone(old);
  next.spec.replicas = replicas;
  if (expected) next.metadata.resourceVersion = expected;
  return updateObject(api, resource, old, next, options);
}

/** POST pods/{name}/binding: what a scheduler does; a pod is bound once. */
export function bindPod(api: ApiContext, route: ResourceRoute, body: unknown): void {
  const { resource } = route;
  const namespace = route.namespace ?? "";
  const name = route.name!;
  if (!isPlainObject(body) || !isPlainObject(body.target) || typeof body.target.name !== "string" || body.target.name === "") {
    throw badRequest("the object provided is unrecognized (must be of type Binding): target.name is required");
  }
  const pod = getObject(api, resource, namespace, name);
  if (pod.spec?.nodeName) {
    throw new HttpError(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  }
  if (pod.metadata.deletionTimestamp) throw new HttpError(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`);
  const next = structuredClone(pod);
  next.spec.nodeName = body.target.name;
  const conditions = (next.status.conditions ?? []).filter((condition: any) => condition.type !== "PodScheduled");
  conditions.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: timestamp(api.now()) });
  next.status = { ...next.status, conditions };
  try {
    api.store.update(next, { expectedRevision: pod.metadata.resourceVersion });
  } catch (error) {
    throw translateStoreError(error, resource, name);
  }
}

/** POST pods/{name}/eviction: a graceful delete (no disruption budgets exist to refuse it). */
export function evictPod(api: ApiContext, route: ResourceRoute, body: unknown): void {
  const { resource } = route;
  const namespace = route.namespace ?? "";
  const name = route.name!;
  const options = isPlainObject(body) && isPlainObject(body.deleteOptions) ? body.deleteOptions : {};
  deleteObject(api, resource, namespace, name, {
    gracePeriodSeconds: typeof options.gracePeriodSeconds === "number" ? options.gracePeriodSeconds : undefined,
    dryRun: Array.isArray(options.dryRun) && options.dryRun.includes("All"),
  });
}

/** PUT namespaces/{name}/finalize: sets spec.finalizers (the namespace controller's last step). */
export function finalizeNamespace(api: ApiContext, route: ResourceRoute, body: unknown, options: WriteOptions): StoredObject {
  const { resource } = route;
  const name = route.name!;
  const old = getObject(api, resource, undefined, name);
  if (!isPlainObject(body)) throw badRequest("the object provided is unrecognized (must be of type Namespace)");
  const next = structuredClone(old);
  next.spec = { ...next.spec, finalizers: Array.isArray(body.spec?.finalizers) ? body.spec.finalizers : [] };
  return updateObject(api, resource, old, next, options);
}
