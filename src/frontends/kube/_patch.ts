// patch: strategic merge (kubectl apply/edit for built-in kinds), JSON merge, JSON patch, and
// server-side apply (`application/apply-patch+yaml`: creates the object when absent; merges the
// applied configuration into the live one with the strategic-merge list rules otherwise; field
// ownership is not tracked, so fields dropped from an applied configuration stay).

import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { jsonPatch, mergePatch, shapeOfKind, strategicMergePatch, type ResourceType } from "../../domain/kube/mod.js";
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

export function patchObject(
  api: ApiContext,
  request: { resource: ResourceType; namespace?: string; name: string; type: string; body: Buffer; options: WriteOptions; target?: UpdateTarget },
): { object: StoredObject; created: boolean } {
  const { resource, namespace, name, type, options } = request;
  const patch = parsePatch(type, request.body);
  const scope = resource.namespaced ? (namespace ?? "") : "";
  const live = api.store.get({ kind: resource.kind, namespace: scope, name });
  if (type === "application/apply-patch+yaml") {
    if (!isPlainObject(patch)) throw badRequest("error decoding patch: a YAML object was expected");
    if (!live) {
      patch.metadata = { ...(isPlainObject(patch.metadata) ? patch.metadata : {}), name };
      const decoded = decodeObject(resource, patch, options);
      return { object: createObject(api, resource, namespace, decoded, options), created: true };
    }
  }
  const old = live ?? getObject(api, resource, namespace, name);
  const patched = applyPatch(type, structuredClone(old), patch, resource.kind);
  const decoded = decodeObject(resource, patched, options);
  return { object: updateObject(api, resource, old, decoded, { ...options, target: request.target }), created: false };
}
