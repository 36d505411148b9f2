// The HTTPS server, on the HTTP core: bearer-token authentication, the fixed endpoints
// (version, health, discovery, OpenAPI), the resource paths, and WebSocket upgrades for exec and port-forward.
// Every failure becomes a Status (statusRenderer); the server keeps serving whatever a request held.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { timingSafeEqual } from "node:crypto";
import type { ApiContext } from "./_context.js";
import type { KubeCredentials } from "./_credentials.js";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedVersion,
  legacyCoreVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
  openApiDocument,
  openApiIndex,
  openApiV2ContentType,
  openApiV2Protobuf,
  serverVersion,
} from "./_discovery.js";
import { prepareExec, upgradeExec } from "./_exec.js";
import { preparePortForward, upgradePortForward } from "./_portforward.js";
import { sendJson, statusRenderer } from "./_http.js";
import { handleResource } from "./_resource.js";
import { notFoundResource, parseResourcePath } from "./_route.js";
import { HttpError } from "./_status.js";
import { HttpServer } from "../http/mod.js";

const publicPaths = new Set(["/version", "/healthz", "/readyz", "/livez"]);

/** The static token of the kubeconfig Moor writes, or a token the API's verifier accepts (`aws eks get-token`'s). */
function authorized(req: IncomingMessage, credentials: KubeCredentials): boolean {
  const header = String(req.headers.authorization ?? "");
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  const token = match[1]!.trim();
  const given = Buffer.from(token);
  const expected = Buffer.from(credentials.token);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  return credentials.verifyToken?.(token) ?? false;
}

const unauthorized = () => new HttpError(401, "Unauthorized", "Unauthorized");

export function createApiServer(api: ApiContext, credentials: KubeCredentials, address: () => string): HttpServer {
  return new HttpServer({
    name: "kube API",
    listen: { host: api.config.host, port: api.config.kubePort },
    tls: { key: credentials.serverKey, cert: credentials.serverCert },
    handle: ({ request, response }) => handle(api, credentials, address, request, response),
    renderer: statusRenderer,
    upgrade: (request, socket, head) => upgrade(api, credentials, request, socket, head),
    keepAliveTimeoutMs: 30_000,
    // Watches and log streams never end on their own, and every other request is answered from
    // the store at once: nothing in flight is worth making `moor down` wait for.
    stopGraceMs: 0,
  });
}

function upgrade(api: ApiContext, credentials: KubeCredentials, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  if (!authorized(req, credentials)) throw unauthorized();
  const url = new URL(req.url ?? "/", "https://moor");
  const route = parseResourcePath(url.pathname);
  if (route?.resource.kind === "Pod" && route.subresource === "portforward" && route.name) {
    return upgradePortForward(req, socket, head, preparePortForward(api, route.namespace ?? "", route.name, req));
  }
  if (!route || route.resource.kind !== "Pod" || route.subresource !== "exec" || !route.name) {
    throw new HttpError(400, "BadRequest", "the server only upgrades pods/exec and pods/portforward requests");
  }
  const request = prepareExec(api, route.namespace ?? "", route.name, url.searchParams);
  upgradeExec(api, req, socket, head, request);
}

async function handle(api: ApiContext, credentials: KubeCredentials, address: () => string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "https://moor");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (publicPaths.has(path) || path.startsWith("/healthz/") || path.startsWith("/readyz/") || path.startsWith("/livez/")) {
    if (path === "/version") return sendJson(res, 200, serverVersion);
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("ok");
    return;
  }
  if (!authorized(req, credentials)) throw unauthorized();
  const accept = String(req.headers.accept ?? "");
  const aggregated = aggregatedVersion(accept);
  if (path === "/api" || path === "/apis") {
    const core = path === "/api";
    if (aggregated) return sendJson(res, 200, aggregatedDiscovery(core, aggregated), { "Content-Type": aggregatedContentType(aggregated) });
    return sendJson(res, 200, core ? legacyCoreVersions(address()) : legacyGroupList());
  }
  if (path === "/api/v1") return sendJson(res, 200, legacyResourceList(""));
  const groupMatch = /^\/apis\/([^/]+)(?:\/(v1))?$/.exec(path);
  if (groupMatch) {
    const body = groupMatch[2] ? legacyResourceList(groupMatch[1]!) : legacyGroup(groupMatch[1]!);
    if (!body) throw notFoundResource();
    return sendJson(res, 200, body);
  }
  if (path === "/openapi/v3") return sendJson(res, 200, openApiIndex());
  if (path === "/openapi/v2") {
    res.writeHead(200, { "Content-Type": openApiV2ContentType, "Content-Length": openApiV2Protobuf.length });
    res.end(openApiV2Protobuf);
    return;
  }
  if (path.startsWith("/openapi/v3/")) {
    const document = openApiDocument(path.slice("/openapi/v3/".length));
    if (!document) throw notFoundResource();
    return sendJson(res, 200, document);
  }
  const route = parseResourcePath(path);
  if (!route) throw notFoundResource();
  await handleResource(api, req, res, route, url.searchParams);
}
