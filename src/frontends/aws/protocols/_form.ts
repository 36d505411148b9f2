// Reading a query or ec2 request's parameters (`Action=…&Tags.member.1.Key=a`) into the
// operation's input, key by key as botocore's serialisers write them:
// - query: a member's key is its locationName, else its name; a list is `Key.<member
//   locationName, else "member">.N` (flattened: `Key.N`, named by the member's locationName),
//   and `Key=` alone is the empty list; a map is `Key.entry.N.key` / `.value`.
// - ec2: a member's key is its queryName, else its locationName capitalised, else its name;
//   every list is flattened, `Key.N`.
// Parameters are indexed once as a tree of dotted segments, so a large request is read in one
// pass; list indices must be positive integers, at most `listItemsMax`.

import type { ResolvedShape, ServiceModel, ShapeReference } from "./_model.js";
import { joinPath, pathSegment, type ProblemList } from "./_problems.js";
import { scalarFromText } from "./_scalars.js";

export type FormStyle = "query" | "ec2";

/** A list longer than this is refused: no AWS operation takes more. */
export const listItemsMax = 1000;

export interface ParameterNode {
  value?: string;
  children: Map<string, ParameterNode>;
}

export function parameterTree(parameters: Iterable<[string, string]>): ParameterNode {
  const root: ParameterNode = { children: new Map() };
  for (const [key, value] of parameters) {
    let node = root;
    for (const segment of key.split(".")) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value ??= value;
  }
  return root;
}

function memberKey(style: FormStyle, name: string, reference: ShapeReference | ResolvedShape): string {
  if (style === "ec2") {
    if (reference.queryName) return reference.queryName;
    return reference.locationName ? reference.locationName.charAt(0).toUpperCase() + reference.locationName.slice(1) : name;
  }
  return reference.locationName ?? name;
}

export class FormReader {
  constructor(
    readonly model: ServiceModel,
    readonly style: FormStyle,
    readonly problems: ProblemList,
  ) {}

  /** The structure's members found under `node`, typed; undefined members are absent. */
  structure(shape: ResolvedShape, node: ParameterNode, path: string): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    for (const [name, reference] of Object.entries(shape.members ?? {})) {
      const child = node.children.get(memberKey(this.style, name, reference));
      if (!child) continue;
      const member = this.read(this.model.resolve(reference), child, joinPath(path, pathSegment(name)), name);
      if (member !== undefined) value[name] = member;
    }
    return value;
  }

  read(shape: ResolvedShape, node: ParameterNode, path: string, name: string): unknown {
    switch (shape.type) {
      case "structure":
        return this.structure(shape, node, path);
      case "list":
        return this.list(shape, node, path);
      case "map":
        return this.map(shape, node, path);
      default: {
        if (node.value === undefined) return undefined;
        const value = scalarFromText(shape.type, node.value);
        if (value === undefined) this.problems.add({ kind: "type", path, wireName: name, value: node.value, constraint: `Member must be of type ${shape.type}` });
        return value;
      }
    }
  }

  list(shape: ResolvedShape, node: ParameterNode, path: string): unknown[] | undefined {
    const member = this.model.resolve(shape.member!);
    let items = node;
    if (this.style === "query" && !shape.flattened) {
      if (node.children.size === 0 && node.value === "") return [];
      const named = node.children.get(member.locationName ?? "member");
      if (!named) return node.value === "" ? [] : undefined;
      items = named;
    }
    const indexed = this.indices(items, path);
    return indexed?.map(([index, child]) => this.read(member, child, joinPath(path, `${index}.member`), String(index)));
  }

  map(shape: ResolvedShape, node: ParameterNode, path: string): Record<string, unknown> | undefined {
    const entries = this.style === "query" && !shape.flattened ? node.children.get("entry") : node;
    if (!entries) return node.value === "" ? {} : undefined;
    const key = this.model.resolve(shape.key!);
    const item = this.model.resolve(shape.value!);
    const result: Record<string, unknown> = {};
    for (const [index, entry] of this.indices(entries, path) ?? []) {
      const name = entry.children.get(key.locationName ?? "key")?.value;
      const valueNode = entry.children.get(item.locationName ?? "value");
      if (name === undefined || valueNode === undefined) {
        this.problems.add({ kind: "type", path: joinPath(path, String(index)), wireName: String(index), constraint: "Member must have both a key and a value" });
        continue;
      }
      // A key from the request may be `__proto__`: define it, never assign it.
      Object.defineProperty(result, name, { value: this.read(item, valueNode, joinPath(path, `${name}.value`), name), enumerable: true, writable: true, configurable: true });
    }
    return result;
  }

  /** The numbered children in order; problems for keys that are not positive integers in range. */
  indices(node: ParameterNode, path: string): [number, ParameterNode][] | undefined {
    const found: [number, ParameterNode][] = [];
    for (const [segment, child] of node.children) {
      const index = /^[1-9]\d{0,5}$/.test(segment) ? Number(segment) : Number.NaN;
      if (!(index <= listItemsMax)) {
        this.problems.add({ kind: "type", path: joinPath(path, segment), wireName: segment, value: segment, constraint: `Member must be a list index from 1 to ${listItemsMax}` });
        return undefined;
      }
      found.push([index, child]);
    }
    return found.sort((a, b) => a[0] - b[0]);
  }
}
