// rest-json routes from a model's `http.requestUri` templates (`/clusters/{name}`,
// `/{Key+}` greedy), matched segment by segment on the still percent-encoded path, so an ARN
// sent as one encoded label stays one label. Routes with more literal segments are tried first.
// A literal query part of a template (`/x?tagging`) is not part of the path and is ignored.

import type { OperationModel, ServiceModel } from "./_model.js";

type Segment = { literal: string } | { label: string; greedy: boolean };

export interface RestRoute {
  operation: OperationModel;
  method: string;
  /** Labels by name when the path's segments fit, else undefined. */
  match(segments: readonly string[]): Map<string, string> | undefined;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function compile(operation: OperationModel): { route: RestRoute; literals: number } {
  const path = operation.http.requestUri.split("?")[0]!;
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const segments: Segment[] = trimmed.split("/").slice(1).map((segment) => {
    const label = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
    return label ? { label: label[1]!, greedy: label[2] === "+" } : { literal: segment };
  });
  const literals = segments.filter((segment) => "literal" in segment).length;
  const match = (raw: readonly string[]): Map<string, string> | undefined => {
    const labels = new Map<string, string>();
    for (const [index, segment] of segments.entries()) {
      if ("literal" in segment) {
        if (raw[index] !== segment.literal) return undefined;
        continue;
      }
      const text = segment.greedy ? raw.slice(index).join("/") : raw[index];
      const value = text === undefined || text === "" ? undefined : decode(text);
      if (value === undefined) return undefined;
      labels.set(segment.label, value);
      if (segment.greedy) return labels;
    }
    return raw.length === segments.length ? labels : undefined;
  };
  return { route: { operation, method: operation.http.method, match }, literals };
}

/** A request path's segments, still percent-encoded; "/a/b/" and "/a/b" give the same. */
export function pathSegments(path: string): string[] {
  return (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path).split("/").slice(1);
}

const cache = new WeakMap<ServiceModel, RestRoute[]>();

export function restRoutes(model: ServiceModel): RestRoute[] {
  let routes = cache.get(model);
  if (!routes) {
    routes = Object.values(model.document.operations)
      .map(compile)
      .sort((a, b) => b.literals - a.literals)
      .map((entry) => entry.route);
    cache.set(model, routes);
  }
  return routes;
}
