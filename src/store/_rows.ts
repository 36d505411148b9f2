// Row keys and the one ordering of objects that every backend lists in: namespace, then name.

import type { ObjectKey, StoredObject } from "./mod.js";

export function rowKey(key: ObjectKey): string {
  return `${key.kind}\u0000${key.namespace ?? ""}\u0000${key.name}`;
}

export function compareRows(object: StoredObject, namespace: string, name: string): number {
  const ownNamespace = object.metadata.namespace ?? "";
  if (ownNamespace !== namespace) return ownNamespace < namespace ? -1 : 1;
  if (object.metadata.name === name) return 0;
  return object.metadata.name < name ? -1 : 1;
}
