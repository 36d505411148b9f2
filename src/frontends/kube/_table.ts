// `meta.k8s.io/v1` Table responses (kubectl's human-readable get, -o wide, get -w). Each row
// carries the object as PartialObjectMetadata (kind and apiVersion set: without them kubectl
// silently prints empty names), or whole with `includeObject=Object` (`--sort-by`).

import type { StoredObject } from "../../store/mod.js";
import { printerFor } from "./_columns.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject");
  return value === "None" || value === "Object" ? value : "Metadata";
}

function rowObject(object: StoredObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return object;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

export function toTable(kind: string, objects: StoredObject[], options: { now: Date; include: IncludeObject; revision?: string; continueToken?: string; withColumns?: boolean }) {
  const printer = printerFor(kind);
  const columns = options.withColumns === false
    ? []
    : printer.columns.map((column) => ({ name: column.name, type: "string", format: column.format ?? "", description: "", priority: column.priority }));
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {
      ...(options.revision ? { resourceVersion: options.revision } : {}),
      ...(options.continueToken ? { continue: options.continueToken } : {}),
    },
    columnDefinitions: columns,
    rows: objects.map((object) => {
      const row: Record<string, unknown> = { cells: printer.cells(object, options.now) };
      const included = rowObject(object, options.include);
      if (included) row.object = included;
      return row;
    }),
  };
}
