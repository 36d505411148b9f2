// JSON bodies for the json and rest-json protocols, both ways, against the model's shapes:
// members keyed by their locationName, else their name; timestamps as epoch seconds; blobs as
// base64. Reading types every value and notes what does not fit; members the model does not
// know are ignored, as AWS does.

import type { ResolvedShape, ServiceModel } from "./_model.js";
import { joinPath, pathSegment, type ProblemList } from "./_problems.js";
import { scalarFromJson, scalarToJson } from "./_scalars.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? "list" : value === null ? "null" : typeof value;
}

export class JsonReader {
  constructor(
    readonly model: ServiceModel,
    readonly problems: ProblemList,
  ) {}

  read(shape: ResolvedShape, value: unknown, path: string): unknown {
    if (value === null || value === undefined) return undefined;
    switch (shape.type) {
      case "structure":
        if (!isObject(value)) return this.#wrongType(shape, value, path);
        return this.structure(shape, value, path);
      case "list": {
        if (!Array.isArray(value)) return this.#wrongType(shape, value, path);
        const member = this.model.resolve(shape.member!);
        return value.map((item, index) => this.read(member, item, joinPath(path, `${index + 1}.member`)));
      }
      case "map": {
        if (!isObject(value)) return this.#wrongType(shape, value, path);
        const item = this.model.resolve(shape.value!);
        const result: Record<string, unknown> = {};
        for (const [key, entry] of Object.entries(value)) {
          Object.defineProperty(result, key, { value: this.read(item, entry, joinPath(path, `${key}.value`)), enumerable: true, writable: true, configurable: true });
        }
        return result;
      }
      default: {
        const typed = scalarFromJson(shape.type, value);
        return typed === undefined ? this.#wrongType(shape, value, path) : typed;
      }
    }
  }

  /** The body members of a structure (those not bound elsewhere when `bodyOnly`). */
  structure(shape: ResolvedShape, value: Record<string, unknown>, path: string, bodyOnly = false): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, reference] of Object.entries(shape.members ?? {})) {
      if (bodyOnly && reference.location) continue;
      const key = reference.locationName ?? name;
      if (!Object.hasOwn(value, key)) continue;
      const member = this.read(this.model.resolve(reference), value[key], joinPath(path, pathSegment(name)));
      if (member !== undefined) result[name] = member;
    }
    return result;
  }

  #wrongType(shape: ResolvedShape, value: unknown, path: string): undefined {
    const text = typeof value === "string" ? value : undefined;
    this.problems.add({ kind: "type", path, wireName: path, value: text, constraint: `Member must be of type ${shape.type}, not ${typeName(value)}` });
    return undefined;
  }
}

/** The JSON form of a typed output value. */
export function toJson(model: ServiceModel, shape: ResolvedShape, value: unknown, bodyOnly = false): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case "structure": {
      const result: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const [name, reference] of Object.entries(shape.members ?? {})) {
        if (bodyOnly && reference.location) continue;
        const member = toJson(model, model.resolve(reference), source[name]);
        if (member !== undefined) result[reference.locationName ?? name] = member;
      }
      return result;
    }
    case "list": {
      const member = model.resolve(shape.member!);
      return (Array.isArray(value) ? value : []).map((item) => toJson(model, member, item) ?? null);
    }
    case "map": {
      const item = model.resolve(shape.value!);
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, toJson(model, item, entry) ?? null]));
    }
    default:
      return scalarToJson(shape.type, value);
  }
}
