// patch: strategic merge (kubectl apply/edit for built-in kinds), JSON merge, JSON patch, and
// server-side apply (`application/apply-patch+yaml`: creates the object when absent; merges the
// applied configuration into the live one with the strategic-merge list rules otherwise; field
// ownership is not tracked, so fields dropped from an applied configuration stay).

import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import {
  fieldTree,
  jsonPatch,
  mergePatch,
  removeDropped,
  shapeOfKind,
  strategicMergePatch,
  type FieldTree,
  type ResourceType,
} from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { isPlainObject } from "./_http.js";
import { getObject } from "./_read.js";
import { badRequest, HttpError } from "./_status.js";
import { createObject, decodeObject, updateObject, type UpdateTarget, type WriteOptions } from "./_write.js";

export const patchTypes = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

export function patchType(req: IncomingMessage): string {
  const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!patchTypes.includes(type)) {
    throw new HttpError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${patchTypes.join(", ")}`);
  }
  return type;
}

function parsePatch(type: string, body: Buffer): unknown {
  const text = body.toString("utf8");
  try {
    return type === "application/apply-patch+yaml" ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** The patched document, before decoding and validation. */
export function applyPatch(type: string, target: unknown, patch: unknown, kind: string): unknown {
  if (type === "application/json-patch+json") return jsonPatch(target, patch);
  if (!isPlainObject(patch)) throw badRequest("error decoding patch: a JSON object was expected");
  if (type === "application/merge-patch+json") return mergePatch(target, patch);
  return strategicMergePatch(target, patch, shapeOfKind(kind));
}

export interface PatchRequest {
  resource: ResourceType;
  namespace?: string;
  name: string;
  type: string;
  body: Buffer;
  options: WriteOptions;
  /** The `fieldManager` query parameter (required for apply). */
  fieldManager?: string;
  target?: UpdateTarget;
}

export function patchObject(api: ApiContext, request: PatchRequest): { object: StoredObject; created: boolean } {
  const { resource, namespace, name, type, options } = request;
  const patch = parsePatch(type, request.body);
  if (type === "application/apply-patch+yaml") return apply(api, request, patch);
  const old = getObject(api, resource, namespace, name);
  const patched = applyPatch(type, structuredClone(old), patch, resource.kind);
  const decoded = decodeObject(resource, patched, options);
  return { object: updateObject(api, resource, old, decoded, { ...options, target: request.target }), created: false };
}

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldTree;
  subresource?: string;
}

/** Server-side apply: create when absent; otherwise merge, and drop what this manager stopped applying. */
function apply(api: ApiContext, request: PatchRequest, patch: unknown): { object: StoredObject; created: boolean } {
  const { resource, namespace, name, options } = request;
  if (!isPlainObject(patch)) throw badRequest("error decoding patch: a YAML object was expected");
  const manager = request.fieldManager;
  if (!manager) {
    throw new HttpError(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  const shape = shapeOfKind(resource.kind);
  const { apiVersion: _apiVersion, kind: _kind, ...content } = patch;
  const owned = fieldTree({ ...content, metadata: ownedMetadata(patch.metadata) }, shape);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Apply",
    apiVersion: typeof patch.apiVersion === "string" ? patch.apiVersion : undefined,
    time: api.now().toISOString().replace(/\.\d{3}Z$/, "Z"),
    fieldsType: "FieldsV1",
    fieldsV1: owned,
  };
  const scope = resource.namespaced ? (namespace ?? "") : "";
  const live = api.store.get({ kind: resource.kind, namespace: scope, name });
  if (!live) {
    patch.metadata = { ...(isPlainObject(patch.metadata) ? patch.metadata : {}), name };
    const decoded = decodeObject(resource, patch, options);
    return { object: createObject(api, resource, namespace, decoded, { ...options, managedFields: [entry] }), created: true };
  }
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const mine = entries.find((item) => item.manager === manager && item.operation === "Apply");
  const others = entries.filter((item) => item !== mine && item.operation === "Apply").map((item) => item.fieldsV1 ?? {});
  const merged = strategicMergePatch(structuredClone(live), patch, shape);
  const pruned = removeDropped(merged, mine?.fieldsV1 ?? {}, owned, others);
  const decoded = decodeObject(resource, pruned, options);
  const managedFields = [...entries.filter((item) => item !== mine), entry];
  return { object: updateObject(api, resource, live, decoded, { ...options, managedFields, target: request.target }), created: false };
}

/** The metadata an applier can own: labels, annotations, finalizers, owner references. */
function ownedMetadata(metadata: unknown): Record<string, unknown> {
  if (!isPlainObject(metadata)) return {};
  const owned: Record<string, unknown> = {};
  for (const field of ["labels", "annotations", "finalizers", "ownerReferences"]) if (metadata[field] !== undefined) owned[field] = metadata[field];
  return owned;
}
