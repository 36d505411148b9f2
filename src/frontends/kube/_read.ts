// get and list: one object by name, or a collection filtered by label and field selectors and
// paged with `limit`/`continue` (the token carries the last key and the list's revision).

import {
  apiVersionOf,
  checkSelectableFields,
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  selectableFields,
  type FieldRequirement,
  type Requirement,
  type ResourceType,
} from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { HttpError, notFoundError } from "./_status.js";

export function getObject(api: ApiContext, resource: ResourceType, namespace: string | undefined, name: string): StoredObject {
  const found = api.store.get({ kind: resource.kind, namespace: resource.namespaced ? (namespace ?? "") : "", name });
  if (!found) throw notFoundError(resource, name);
  return found;
}

export interface Selectors {
  labels: Requirement[];
  fields: FieldRequirement[];
}

export function parseSelectors(resource: ResourceType, query: URLSearchParams): Selectors {
  const labels = parseLabelSelector(query.get("labelSelector") ?? "");
  const fields = parseFieldSelector(query.get("fieldSelector") ?? "");
  checkSelectableFields(resource.kind, fields);
  return { labels, fields };
}

export function selects(selectors: Selectors, object: StoredObject): boolean {
  return matchesRequirements(selectors.labels, object.metadata.labels) && matchesFields(selectors.fields, selectableFields(object));
}

interface ContinueToken {
  namespace: string;
  name: string;
  revision: number;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed.name === "string" && typeof parsed.namespace === "string" && typeof parsed.revision === "number") return parsed;
  } catch {
    // Falls through to the error below.
  }
  throw new HttpError(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
}

export interface ListPage {
  items: StoredObject[];
  revision: number;
  continueToken?: string;
  remaining?: number;
}

const listChunk = 500;

/** Objects of a kind (in a namespace, or all), filtered, at most `limit` of them. */
export function listObjects(api: ApiContext, resource: ResourceType, namespace: string | undefined, query: URLSearchParams): ListPage {
  const selectors = parseSelectors(resource, query);
  const limitText = query.get("limit");
  const limit = limitText && /^\d+$/.test(limitText) && Number(limitText) > 0 ? Number(limitText) : undefined;
  const start = query.get("continue") ? decodeContinue(query.get("continue")!) : undefined;
  const scope = resource.namespaced && namespace ? namespace : undefined;
  const items: StoredObject[] = [];
  let after = start ? { namespace: start.namespace, name: start.name } : undefined;
  let revision = start?.revision ?? 0;
  let more = false;
  for (;;) {
    const page = api.store.list(resource.kind, {
      namespace: scope,
      afterNamespace: after?.namespace,
      afterName: after?.name,
      limit: listChunk,
    });
    if (!start && revision === 0) revision = page.revision;
    for (const item of page.items) {
      if (limit !== undefined && items.length >= limit) {
        more = true;
        break;
      }
      if (selects(selectors, item)) items.push(item);
    }
    if (more || page.items.length < listChunk) break;
    const last = page.items[page.items.length - 1]!;
    after = { namespace: last.metadata.namespace ?? "", name: last.metadata.name };
  }
  if (revision === 0) revision = api.store.revision();
  if (!more) return { items, revision };
  const last = items[items.length - 1]!;
  const token: ContinueToken = { namespace: last.metadata.namespace ?? "", name: last.metadata.name, revision };
  return { items, revision, continueToken: Buffer.from(JSON.stringify(token)).toString("base64url") };
}

export function listBody(resource: ResourceType, page: ListPage) {
  return {
    kind: `${resource.kind}List`,
    apiVersion: apiVersionOf(resource),
    metadata: { resourceVersion: String(page.revision), ...(page.continueToken ? { continue: page.continueToken } : {}) },
    items: page.items,
  };
}
