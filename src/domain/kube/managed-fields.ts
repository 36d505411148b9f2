// Server-side apply's field ownership, simplified: each apply manager owns the fields of the
// configuration it last applied (kept in `metadata.managedFields` in upstream's FieldsV1 form),
// and a field it stops applying is removed from the object unless another apply manager still
// owns it. Updates by other means are not tracked as owners.

import { elementShape, fieldShape, resolved, type Shape } from "./schema.js";

/** FieldsV1: `{"f:spec":{"f:replicas":{}}}`, list entries as `k:{"name":"x"}` by merge key. */
export type FieldTree = { [key: string]: FieldTree };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fields an applied configuration sets. */
export function fieldTree(config: unknown, shape: Shape): FieldTree {
  const tree: FieldTree = {};
  if (!isObject(config)) return tree;
  for (const [key, value] of Object.entries(config)) {
    if (value === null || value === undefined) continue;
    const child = fieldShape(shape, key);
    const list = resolved(child);
    if (Array.isArray(value) && list.kind === "list" && list.mergeKey) {
      const entries: FieldTree = {};
      for (const item of value) {
        if (!isObject(item) || item[list.mergeKey] === undefined) continue;
        entries[`k:${JSON.stringify({ [list.mergeKey]: item[list.mergeKey] })}`] = { ".": {}, ...fieldTree(item, elementShape(child)) };
      }
      tree[`f:${key}`] = entries;
    } else if (isObject(value)) tree[`f:${key}`] = fieldTree(value, child);
    else tree[`f:${key}`] = {};
  }
  return tree;
}

function unionTrees(trees: FieldTree[]): FieldTree {
  const union: FieldTree = {};
  for (const tree of trees) {
    for (const [key, child] of Object.entries(tree)) union[key] = unionTrees([union[key] ?? {}, child]);
  }
  return union;
}

/**
 * Removes from `live` what `previous` owned and `next` no longer does, leaving what `others`
 * (the other apply managers) own. Returns the pruned object.
 */
export function removeDropped(live: unknown, previous: FieldTree, next: FieldTree, others: FieldTree[]): unknown {
  return prune(structuredClone(live), previous, next, unionTrees(others));
}

function prune(target: unknown, previous: FieldTree, next: FieldTree, kept: FieldTree): unknown {
  if (!isObject(target)) return target;
  for (const [key, owned] of Object.entries(previous)) {
    if (key === ".") continue;
    if (key.startsWith("f:")) {
      const name = key.slice(2);
      if (!(name in target)) continue;
      if (!(key in next) && !(key in kept)) {
        // The applier sets nothing at or below this field any more, and no other applier does.
        delete target[name];
        continue;
      }
      const value = target[name];
      if (Array.isArray(value)) target[name] = pruneList(value, owned, next[key] ?? {}, kept[key] ?? {});
      else target[name] = prune(value, owned, next[key] ?? {}, kept[key] ?? {});
    }
  }
  return target;
}

function pruneList(list: unknown[], previous: FieldTree, next: FieldTree, kept: FieldTree): unknown[] {
  const result: unknown[] = [];
  for (const item of list) {
    const key = Object.keys(previous).find((entry) => entry.startsWith("k:") && matchesEntry(item, entry));
    if (!key) {
      result.push(item);
      continue;
    }
    if (!(key in next) && !(key in kept)) continue;
    result.push(prune(item, previous[key]!, next[key] ?? {}, kept[key] ?? {}));
  }
  return result;
}

function matchesEntry(item: unknown, entry: string): boolean {
  if (!isObject(item)) return false;
  const fields = JSON.parse(entry.slice(2)) as Record<string, unknown>;
  return Object.entries(fields).every(([field, value]) => item[field] === value);
}
