// The served kinds' shapes (from the compact table in _schema-types.ts): strategic merge patch
// asks it for merge keys, strict field validation asks it for unknown fields and wrong types,
// and decoding prunes unknown fields as upstream's typed decoding does.
//
// Notation, one token per field, `name[:type]`: no type = string; `i` integer, `n` number,
// `b` boolean, `q` int-or-string (quantities, ports); `*` anything; `Name` a named object type;
// `[t]` a list replaced whole; `[t@key]` a list merged by key; `[s+]` a primitive list merged as
// a set; `{t}` a map of t. A type whose first token is `...` accepts unknown fields.

import { kindTable, typeTable } from "./_schema-types.js";

export type Shape =
  | { kind: "primitive"; primitive: "s" | "i" | "n" | "b" | "q" }
  | { kind: "any" }
  | { kind: "object"; name: string; fields: Map<string, Shape>; open: boolean }
  | { kind: "list"; element: Shape; mergeKey?: string; setMerge?: boolean }
  | { kind: "map"; value: Shape };

const named = new Map<string, Shape & { kind: "object" }>();

function objectShape(name: string, spec: string): Shape & { kind: "object" } {
  const shape = { kind: "object" as const, name, fields: new Map<string, Shape>(), open: false };
  named.set(name, shape);
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    if (token === "...") {
      shape.open = true;
      continue;
    }
    const colon = token.indexOf(":");
    const field = colon < 0 ? token : token.slice(0, colon);
    shape.fields.set(field, colon < 0 ? { kind: "primitive", primitive: "s" } : parseType(token.slice(colon + 1)));
  }
  return shape;
}

function parseType(text: string): Shape {
  if (text === "*") return { kind: "any" };
  if (text === "s" || text === "i" || text === "n" || text === "b" || text === "q") return { kind: "primitive", primitive: text };
  if (text.startsWith("[")) {
    const inner = text.slice(1, -1);
    if (inner.endsWith("+")) return { kind: "list", element: parseType(inner.slice(0, -1)), setMerge: true };
    const at = inner.indexOf("@");
    if (at >= 0) return { kind: "list", element: parseType(inner.slice(0, at)), mergeKey: inner.slice(at + 1) };
    return { kind: "list", element: parseType(inner) };
  }
  if (text.startsWith("{")) return { kind: "map", value: parseType(text.slice(1, -1)) };
  return { kind: "object", name: text, fields: new Map(), open: false, lazy: true } as unknown as Shape;
}

/** Named references resolve lazily: the table refers to types declared later. */
function resolve(shape: Shape): Shape {
  if (shape.kind === "object" && (shape as { lazy?: boolean }).lazy) {
    const found = named.get(shape.name);
    if (!found) throw new Error(`Cannot resolve schema type "${shape.name}": it is not declared`);
    return found;
  }
  return shape;
}

for (const [name, spec] of Object.entries(typeTable)) objectShape(name, spec);
const kinds = new Map(Object.entries(kindTable).map(([kind, spec]) => [kind, objectShape(kind, spec)]));

/** The shape of a whole object of this kind; free-form for kinds without a table entry. */
export function shapeOfKind(kind: string): Shape {
  return kinds.get(kind) ?? { kind: "any" };
}

/** The shape of a field of an object shape (any for free-form parents and unknown fields). */
export function fieldShape(parent: Shape, field: string): Shape {
  const resolved = resolve(parent);
  if (resolved.kind === "object") return resolve(resolved.fields.get(field) ?? { kind: "any" });
  if (resolved.kind === "map") return resolve(resolved.value);
  return { kind: "any" };
}

export function elementShape(list: Shape): Shape {
  const resolved = resolve(list);
  return resolved.kind === "list" ? resolve(resolved.element) : { kind: "any" };
}

export function resolved(shape: Shape): Shape {
  return resolve(shape);
}

export interface DecodeProblems {
  unknown: string[];
  /** Go's json errors: a value of the wrong JSON type for its field. */
  types: string[];
}

const goTypes = { s: "string", i: "int32", n: "float64", b: "bool", q: "intstr.IntOrString" } as const;

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value;
}

/**
 * Walks the object against its kind's shape, removing unknown fields (upstream drops them when
 * decoding into typed structs) and reporting them and any value of the wrong JSON type.
 */
export function decodeAgainstShape(kind: string, object: Record<string, unknown>): DecodeProblems {
  const problems: DecodeProblems = { unknown: [], types: [] };
  walk(shapeOfKind(kind), object, "", kind, problems);
  return problems;
}

function walk(shape: Shape, value: unknown, path: string, parentName: string, problems: DecodeProblems): void {
  const current = resolve(shape);
  if (value === null || value === undefined || current.kind === "any") return;
  const fail = (expected: string): void => {
    problems.types.push(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${parentName}.${path} of type ${expected}`);
  };
  switch (current.kind) {
    case "primitive":
      return checkPrimitive(current.primitive, value, fail);
    case "list":
      if (!Array.isArray(value)) return fail(`[]${describe(current.element)}`);
      value.forEach((item, index) => walk(current.element, item, `${path}[${index}]`, parentName, problems));
      return;
    case "map":
      if (jsonType(value) !== "object") return fail(`map[string]${describe(current.value)}`);
      for (const [key, item] of Object.entries(value as object)) walk(current.value, item, `${path}.${key}`, parentName, problems);
      return;
    case "object": {
      if (jsonType(value) !== "object") return fail(`v1.${current.name}`);
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        // A null field decodes to Go's zero value, which upstream then omits.
        if (record[key] === null) {
          delete record[key];
          continue;
        }
        const child = current.fields.get(key);
        const childPath = path ? `${path}.${key}` : key;
        if (!child) {
          if (current.open) continue;
          problems.unknown.push(childPath);
          delete record[key];
          continue;
        }
        walk(child, record[key], childPath, current.name, problems);
      }
    }
  }
}

function checkPrimitive(primitive: keyof typeof goTypes, value: unknown, fail: (expected: string) => void): void {
  const type = jsonType(value);
  const ok =
    (primitive === "s" && type === "string") ||
    (primitive === "i" && type === "number" && Number.isInteger(value)) ||
    (primitive === "n" && type === "number") ||
    (primitive === "b" && type === "boolean") ||
    (primitive === "q" && (type === "string" || type === "number"));
  if (!ok) fail(goTypes[primitive]);
}

function describe(shape: Shape): string {
  const current = resolve(shape);
  if (current.kind === "primitive") return goTypes[current.primitive];
  if (current.kind === "object") return `v1.${current.name}`;
  return "interface {}";
}
