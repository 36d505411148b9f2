// The three patch formats the API accepts: strategic merge patch (what `kubectl apply`, `edit`
// and `rollout restart` send for built-in kinds), JSON merge patch (RFC 7386; `scale`, CRDs) and
// JSON patch (RFC 6902; `rollout undo`, `patch --type=json`).

import { invalid } from "../../errors/mod.js";
import { elementShape, fieldShape, resolved, type Shape } from "./schema.js";

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 7386: maps merge recursively, null deletes, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Kubernetes' strategic merge patch, server side, with list strategies from the schema. */
export function strategicMergePatch(target: Json, patch: Json, shape: Shape): Json {
  if (!isObject(patch)) return stripDirectives(patch);
  if (patch.$patch === "replace") return stripDirectives(patch);
  if (patch.$patch === "delete") return undefined;
  if (patch.$patch !== undefined) throw invalid(`Cannot apply the patch: unknown patch type "${String(patch.$patch)}"`, { code: "BadRequest" });
  let result: JsonObject = isObject(target) ? { ...target } : {};
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) result = Object.fromEntries(Object.entries(result).filter(([key]) => retain.includes(key)));
  const orders: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$setElementOrder/")) {
      if (Array.isArray(value)) orders.push([key.slice("$setElementOrder/".length), value]);
      continue;
    }
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const list = key.slice("$deleteFromPrimitiveList/".length);
      if (Array.isArray(result[list]) && Array.isArray(value)) {
        result[list] = (result[list] as Json[]).filter((item) => !value.includes(item));
      }
      continue;
    }
    if (key.startsWith("$")) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const child = fieldShape(shape, key);
    const merged = Array.isArray(value) ? mergeList(result[key], value, child) : strategicMergePatch(result[key], value, child);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  for (const [list, order] of orders) {
    if (Array.isArray(result[list])) result[list] = reorder(result[list] as Json[], order, resolved(fieldShape(shape, list)));
  }
  return result;
}

function mergeList(target: Json, patch: Json[], shape: Shape): Json[] {
  const list = resolved(shape);
  if (list.kind !== "list" || (!list.mergeKey && !list.setMerge)) return stripDirectives(patch) as Json[];
  const original = Array.isArray(target) ? [...target] : [];
  if (list.setMerge) {
    for (const item of patch) if (!original.some((existing) => existing === item)) original.push(item);
    return original;
  }
  const key = list.mergeKey!;
  if (patch.some((item) => isObject(item) && item.$patch === "replace")) {
    return patch.filter((item) => !(isObject(item) && item.$patch === "replace")).map(stripDirectives);
  }
  const element = elementShape(shape);
  for (const item of patch) {
    if (!isObject(item)) {
      original.push(item);
      continue;
    }
    const index = original.findIndex((existing) => isObject(existing) && sameKey(existing[key], item[key]));
    if (item.$patch === "delete") {
      if (index >= 0) removeAll(original, key, item[key]);
      continue;
    }
    if (index >= 0) original[index] = strategicMergePatch(original[index], item, element);
    else original.push(stripDirectives(item));
  }
  return original;
}

function sameKey(a: Json, b: Json): boolean {
  return a === b || (a !== undefined && b !== undefined && String(a) === String(b));
}

function removeAll(list: Json[], key: string, value: Json): void {
  for (let index = list.length - 1; index >= 0; index--) {
    const item = list[index];
    if (isObject(item) && sameKey(item[key], value)) list.splice(index, 1);
  }
}

/** `$setElementOrder`: the listed entries first, in that order; the rest keep their order after. */
function reorder(list: Json[], order: Json[], shape: Shape): Json[] {
  const key = shape.kind === "list" ? shape.mergeKey : undefined;
  const identity = (item: Json) => (key && isObject(item) ? String(item[key]) : JSON.stringify(item));
  const wanted = order.map(identity);
  const ranked = list.map((item, index) => ({ item, index, rank: wanted.indexOf(identity(item)) }));
  ranked.sort((a, b) => {
    if (a.rank >= 0 && b.rank >= 0) return a.rank - b.rank;
    if (a.rank >= 0 !== b.rank >= 0) return a.rank >= 0 ? -1 : 1;
    return a.index - b.index;
  });
  return ranked.map((entry) => entry.item);
}

/** Removes patch directives ($patch, $retainKeys, ...) before anything is stored. */
export function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.filter((item) => !(isObject(item) && item.$patch === "delete")).map(stripDirectives);
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder/") || key.startsWith("$deleteFromPrimitiveList/")) continue;
    result[key] = stripDirectives(item);
  }
  return result;
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

/** RFC 6902. A malformed patch is BadRequest; a patch that does not apply is Invalid (422). */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw invalid("Cannot apply the JSON patch: it is not a list of operations", { code: "BadRequest" });
  let document = structuredClone(target);
  for (const operation of operations as JsonPatchOperation[]) {
    if (!isObject(operation) || typeof operation.op !== "string" || typeof operation.path !== "string") {
      throw invalid("Cannot apply the JSON patch: an operation lacks \"op\" or \"path\"", { code: "BadRequest" });
    }
    document = applyOperation(document, operation);
  }
  return document;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw invalid(`Cannot apply the JSON patch: path "${path}" does not start with "/"`, { code: "BadRequest" });
  return path
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function applyOperation(document: Json, operation: JsonPatchOperation): Json {
  switch (operation.op) {
    case "add":
      return put(document, pointer(operation.path), structuredClone(operation.value), "add");
    case "replace":
      get(document, pointer(operation.path));
      return put(document, pointer(operation.path), structuredClone(operation.value), "replace");
    case "remove":
      return remove(document, pointer(operation.path));
    case "copy":
      return put(document, pointer(operation.path), structuredClone(get(document, pointer(operation.from ?? ""))), "add");
    case "move": {
      const value = get(document, pointer(operation.from ?? ""));
      return put(remove(document, pointer(operation.from ?? "")), pointer(operation.path), value, "add");
    }
    case "test":
      if (JSON.stringify(get(document, pointer(operation.path))) !== JSON.stringify(operation.value)) {
        throw invalid(`Cannot apply the JSON patch: testing value at "${operation.path}" failed`);
      }
      return document;
    default:
      throw invalid(`Cannot apply the JSON patch: unknown operation "${operation.op}"`, { code: "BadRequest" });
  }
}

function missing(parts: string[]): Error {
  return invalid(`Cannot apply the JSON patch: path "/${parts.join("/")}" does not exist`);
}

function get(document: Json, parts: string[]): Json {
  let current = document;
  for (const part of parts) {
    if (Array.isArray(current) && /^\d+$/.test(part) && Number(part) < current.length) current = current[Number(part)];
    else if (isObject(current) && Object.prototype.hasOwnProperty.call(current, part)) current = current[part];
    else throw missing(parts);
  }
  return current;
}

function put(document: Json, parts: string[], value: Json, mode: "add" | "replace"): Json {
  if (parts.length === 0) return value;
  const parent = get(document, parts.slice(0, -1));
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length || (mode === "replace" && index >= parent.length)) throw missing(parts);
    parent.splice(index, mode === "replace" ? 1 : 0, value);
  } else if (isObject(parent)) parent[last] = value;
  else throw missing(parts);
  return document;
}

function remove(document: Json, parts: string[]): Json {
  if (parts.length === 0) return undefined;
  const parent = get(document, parts.slice(0, -1));
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw missing(parts);
  return document;
}
