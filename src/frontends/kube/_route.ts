// Resource paths: `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]` and the same under
// `/apis/{group}/{version}`. Cluster-scoped kinds have no namespace segment; a namespaced kind
// without one is a list across all namespaces.

import { resourceForPlural, type ResourceType } from "../../domain/kube/mod.js";
import { HttpError } from "./_status.js";

export interface ResourceRoute {
  resource: ResourceType;
  /** Absent for cluster-scoped kinds and for lists across all namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

export const notFoundResource = () => new HttpError(404, "NotFound", "the server could not find the requested resource", {});

export function parseResourcePath(pathname: string): ResourceRoute | undefined {
  const parts = pathname.split("/").filter((part) => part !== "").map(decodeSegment);
  let group: string;
  let rest: string[];
  if (parts[0] === "api" && parts[1] === "v1") {
    group = "";
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    group = parts[1]!;
    if (parts[2] !== "v1") throw notFoundResource();
    rest = parts.slice(3);
  } else return undefined;
  if (rest.length === 0) return undefined;

  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const namespaceSubresource = group === "" && rest.length === 3 && (rest[2] === "status" || rest[2] === "finalize");
    if (!namespaceSubresource) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const [plural, name, subresource, ...extra] = rest;
  if (extra.length > 0) throw notFoundResource();
  const resource = resourceForPlural(group, "v1", plural!);
  if (!resource) throw notFoundResource();
  if (namespace !== undefined && !resource.namespaced) throw notFoundResource();
  if (subresource !== undefined && !resource.subresources.includes(subresource)) throw notFoundResource();
  return { resource, namespace, name, subresource };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "BadRequest", `the path segment "${segment}" is not valid percent-encoding`);
  }
}
