// The write path every verb shares (create, update, patch, apply, status and scale): decode and
// prune against the kind's shape (strict field validation), keep server-owned fields, default,
// validate, admit, then store; a no-op update writes nothing, as upstream.

import { randomUUID } from "node:crypto";
import {
  applyDefaults,
  apiVersionOf,
  canonicalJson,
  decodeAgainstShape,
  generatedSuffix,
  initialStatus,
  readyToRemove,
  validateCreate,
  validateUpdate,
  type ResourceType,
} from "../../domain/kube/mod.js";
import { conflict } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { admitCreate, admitUpdate } from "./_admission.js";
import { type ApiContext, deletionContext } from "./_context.js";
import { isPlainObject } from "./_http.js";
import { createThroughService, ownedByService } from "./_services.js";
import { badRequest, translateStoreError } from "./_status.js";

export interface WriteOptions {
  dryRun: boolean;
  /** Strict: unknown fields are refused; Warn (default): reported in Warning headers. */
  fieldValidation: "Strict" | "Warn" | "Ignore";
  warnings: string[];
  /** Set by server-side apply: the object's field ownership after this write. */
  managedFields?: unknown[];
}

export function writeOptions(query: URLSearchParams): WriteOptions {
  const dryRun = query.getAll("dryRun");
  if (dryRun.some((value) => value !== "All")) throw badRequest(`Invalid dry run value: "${dryRun.join(",")}": the only supported dry run value is "All"`);
  const mode = query.get("fieldValidation") ?? "Warn";
  if (mode !== "Strict" && mode !== "Warn" && mode !== "Ignore") {
    throw badRequest(`fieldValidation parameter unsupported: ${mode}`);
  }
  return { dryRun: dryRun.length > 0, fieldValidation: mode, warnings: [] };
}

const serverMetadata = ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields"];

/** Checks kind/apiVersion, decodes against the shape; the body becomes a StoredObject. */
export function decodeObject(resource: ResourceType, body: unknown, options: WriteOptions, expectedKind = resource.kind): StoredObject {
  if (!isPlainObject(body)) throw badRequest(`the object provided is unrecognized: a JSON object was expected`);
  const apiVersion = apiVersionOf(resource);
  if (body.kind !== undefined && body.kind !== expectedKind) {
    throw badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): kind "${String(body.kind)}" was sent`);
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion && expectedKind === resource.kind) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  body.kind = expectedKind;
  body.apiVersion ??= apiVersion;
  if (body.metadata !== undefined && !isPlainObject(body.metadata)) throw badRequest(`the object provided is unrecognized: "metadata" must be an object`);
  body.metadata ??= {};
  const problems = decodeAgainstShape(expectedKind, body);
  const prefix = `${expectedKind} in version "v1" cannot be handled as a ${expectedKind}`;
  if (problems.types.length > 0) throw badRequest(`${prefix}: ${problems.types[0]}`);
  if (problems.unknown.length > 0) {
    const fields = problems.unknown.map((field) => `unknown field "${field}"`);
    if (options.fieldValidation === "Strict") throw badRequest(`${prefix}: strict decoding error: ${fields.join(", ")}`);
    if (options.fieldValidation === "Warn") options.warnings.push(...fields);
  }
  return body as StoredObject;
}

export function createObject(api: ApiContext, resource: ResourceType, namespace: string | undefined, body: StoredObject, options: WriteOptions): StoredObject {
  const object = body;
  const metadata = object.metadata;
  if (resource.namespaced) {
    if (metadata.namespace && namespace && metadata.namespace !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    metadata.namespace = namespace ?? metadata.namespace ?? "default";
  } else delete metadata.namespace;
  for (const field of serverMetadata) delete metadata[field];
  if (options.managedFields) metadata.managedFields = options.managedFields;
  if (!metadata.name && typeof metadata.generateName === "string" && metadata.generateName) {
    metadata.name = `${metadata.generateName}${generatedSuffix(api.random)}`;
  }
  metadata.uid = randomUUID();
  if (resource.generation) metadata.generation = 1;
  else delete metadata.generation;
  if (resource.subresources.includes("status")) object.status = initialStatus(object);
  applyDefaults(object);
  admitCreate(api, resource, object);
  validateCreate(resource, object);
  if (ownedByService(resource) && !options.dryRun) return createThroughService(api, resource, object);
  if (options.dryRun) return { ...object, metadata: { ...metadata, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") } };
  try {
    return api.store.create(object);
  } catch (error) {
    throw translateStoreError(error, resource, metadata.name);
  }
}

export type UpdateTarget = "main" | "status";

/**
 * Replaces `old` with `incoming`. Server-owned metadata is kept; the status of kinds with a
 * status subresource is written only through it (and the spec only through the main resource).
 */
export function updateObject(
  api: ApiContext,
  resource: ResourceType,
  old: StoredObject,
  incoming: StoredObject,
  options: WriteOptions & { target?: UpdateTarget },
): StoredObject {
  const name = old.metadata.name;
  if (incoming.metadata.name && incoming.metadata.name !== name) {
    throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (resource.namespaced && incoming.metadata.namespace && incoming.metadata.namespace !== old.metadata.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  const expected = incoming.metadata.resourceVersion;
  const object = merge(resource, old, incoming, options.target ?? "main", options.managedFields);
  applyDefaults(object);
  if ((options.target ?? "main") === "main") admitUpdate(api, resource, object, old);
  validateUpdate(resource, object, old);
  if (expected && expected !== old.metadata.resourceVersion) throw translateStoreError(conflict("stale resourceVersion"), resource, name);
  if (unchanged(object, old) || options.dryRun) return options.dryRun ? object : old;
  try {
    const stored = api.store.update(object, { expectedRevision: old.metadata.resourceVersion });
    if (readyToRemove(stored, deletionContext(api))) return api.store.delete({ kind: stored.kind, namespace: stored.metadata.namespace ?? "", name });
    return stored;
  } catch (error) {
    throw translateStoreError(error, resource, name);
  }
}

function merge(resource: ResourceType, old: StoredObject, incoming: StoredObject, target: UpdateTarget, managedFields?: unknown[]): StoredObject {
  const hasStatus = resource.subresources.includes("status");
  let object: StoredObject;
  if (target === "status") object = { ...structuredClone(old), status: incoming.status };
  else {
    object = { ...incoming, metadata: { ...incoming.metadata } };
    if (hasStatus) object.status = structuredClone(old.status);
  }
  const metadata = object.metadata;
  metadata.namespace = old.metadata.namespace;
  for (const field of ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"]) {
    if (old.metadata[field] === undefined) delete metadata[field];
    else metadata[field] = old.metadata[field];
  }
  // Field ownership is the server's: kept from the stored object unless an apply changed it.
  const owners = managedFields ?? old.metadata.managedFields;
  if (owners) metadata.managedFields = owners;
  else delete metadata.managedFields;
  metadata.resourceVersion = old.metadata.resourceVersion;
  if (resource.generation && target === "main" && canonicalJson(object.spec) !== canonicalJson(old.spec)) {
    metadata.generation = (old.metadata.generation ?? 1) + 1;
  }
  return object;
}

function unchanged(object: StoredObject, old: StoredObject): boolean {
  return canonicalJson(object) === canonicalJson(old);
}
