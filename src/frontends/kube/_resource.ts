// Dispatches a resource request by verb: get, list, watch, create, update, patch, delete,
// deletecollection, and the subresources. Verbs a kind does not serve are refused with 405.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext } from "./_context.js";
import { deleteCollection, deleteObject, deleteRequest } from "./_delete.js";
import { decodeBody, queryFlag, readBody, sendJson, wantsTable } from "./_http.js";
import { serveLogs } from "./_logs.js";
import { patchObject, patchType } from "./_patch.js";
import { answerReview } from "./_review.js";
import { getObject, listBody, listObjects } from "./_read.js";
import type { ResourceRoute } from "./_route.js";
import { HttpError } from "./_status.js";
import { bindPod, evictPod, finalizeNamespace, scaleOf, writeScale } from "./_subresources.js";
import { includeObjectOf, toTable } from "./_table.js";
import { serveWatch } from "./_watch.js";
import { createObject, decodeObject, updateObject, writeOptions, type WriteOptions } from "./_write.js";
import { apiVersionOf } from "../../domain/kube/mod.js";

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "BadRequest", `error decoding patch: ${(error as Error).message}`);
  }
}

const methodNotAllowed = () => new HttpError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

function requireVerb(route: ResourceRoute, verb: string): void {
  if (!route.resource.verbs.includes(verb)) throw methodNotAllowed();
}

function warningHeaders(options: WriteOptions): Record<string, string> {
  if (options.warnings.length === 0) return {};
  return { Warning: options.warnings.map((warning) => `299 - ${JSON.stringify(warning)}`).join(", ") };
}

export async function handleResource(api: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  if (route.subresource) return handleSubresource(api, req, res, route, query);
  const { resource, namespace, name } = route;
  const method = req.method ?? "GET";
  if (method === "GET") {
    if (queryFlag(query, "watch")) {
      requireVerb(route, "watch");
      return serveWatch(api, { req, res, route, query });
    }
    if (name) {
      requireVerb(route, "get");
      const object = getObject(api, resource, namespace, name);
      return sendJson(res, 200, wantsTable(req) ? toTable(resource.kind, [object], { now: api.now(), include: includeObjectOf(query), revision: object.metadata.resourceVersion }) : object);
    }
    requireVerb(route, "list");
    const page = listObjects(api, resource, namespace, query);
    if (wantsTable(req)) {
      return sendJson(res, 200, toTable(resource.kind, page.items, { now: api.now(), include: includeObjectOf(query), revision: String(page.revision), continueToken: page.continueToken }));
    }
    return sendJson(res, 200, listBody(resource, page));
  }
  if (method === "POST") {
    if (name) throw methodNotAllowed();
    requireVerb(route, "create");
    if (resource.review) return sendJson(res, 201, answerReview(resource, decodeBody(req, await readBody(req))));
    const options = writeOptions(query);
    const object = decodeObject(resource, decodeBody(req, await readBody(req)), options);
    return sendJson(res, 201, createObject(api, resource, namespace, object, options), warningHeaders(options));
  }
  if (method === "PUT") {
    if (!name) throw methodNotAllowed();
    requireVerb(route, "update");
    const options = writeOptions(query);
    const object = decodeObject(resource, decodeBody(req, await readBody(req)), options);
    const old = getObject(api, resource, namespace, name);
    return sendJson(res, 200, updateObject(api, resource, old, object, options), warningHeaders(options));
  }
  if (method === "PATCH") {
    if (!name) throw methodNotAllowed();
    requireVerb(route, "patch");
    const body = await readBody(req);
    const type = patchType(req);
    const options = writeOptions(query);
    const result = patchObject(api, { resource, namespace, name, type, body, options, fieldManager: query.get("fieldManager") ?? undefined });
    return sendJson(res, result.created ? 201 : 200, result.object, warningHeaders(options));
  }
  if (method === "DELETE") {
    const body = await readBody(req);
    const request = deleteRequest(query, body.length > 0 ? decodeBody(req, body) : undefined);
    if (name) {
      requireVerb(route, "delete");
      return sendJson(res, 200, deleteObject(api, resource, namespace, name, request));
    }
    requireVerb(route, "deletecollection");
    const items = deleteCollection(api, resource, namespace, query, request);
    return sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata: { resourceVersion: String(api.store.revision()) }, items });
  }
  throw methodNotAllowed();
}

async function handleSubresource(api: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  const { resource, namespace, name, subresource } = route;
  const method = req.method ?? "GET";
  if (!name) throw methodNotAllowed();
  switch (`${subresource} ${method}`) {
    case "status GET":
      return sendJson(res, 200, getObject(api, resource, namespace, name));
    case "status PUT": {
      const options = writeOptions(query);
      const object = decodeObject(resource, decodeBody(req, await readBody(req)), options);
      return sendJson(res, 200, updateObject(api, resource, getObject(api, resource, namespace, name), object, { ...options, target: "status" }));
    }
    case "status PATCH": {
      const options = writeOptions(query);
      const result = patchObject(api, { resource, namespace, name, type: patchType(req), body: await readBody(req), options, target: "status", fieldManager: query.get("fieldManager") ?? undefined });
      return sendJson(res, 200, result.object);
    }
    case "scale GET":
      return sendJson(res, 200, scaleOf(getObject(api, resource, namespace, name)));
    case "scale PUT":
      return sendJson(res, 200, scaleOf(writeScale(api, route, { body: decodeBody(req, await readBody(req)) }, writeOptions(query))));
    case "scale PATCH": {
      const type = patchType(req);
      const document = parseJson((await readBody(req)).toString("utf8"));
      return sendJson(res, 200, scaleOf(writeScale(api, route, { patch: { type, document } }, writeOptions(query))));
    }
    case "binding POST":
      bindPod(api, route, decodeBody(req, await readBody(req)));
      return sendJson(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    case "eviction POST":
      evictPod(api, route, decodeBody(req, await readBody(req)));
      return sendJson(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    case "finalize PUT":
      return sendJson(res, 200, finalizeNamespace(api, route, decodeBody(req, await readBody(req)), writeOptions(query)));
    case "log GET":
      return serveLogs(api, { req, res, route, query });
    case "exec GET":
    case "exec POST":
      // Exec arrives as a WebSocket upgrade (see _server.ts); a plain request is refused as upstream does.
      throw new HttpError(400, "BadRequest", "Upgrade request required");
    default:
      throw methodNotAllowed();
  }
}
