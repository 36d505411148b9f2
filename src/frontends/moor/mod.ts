// The moor API: what the `moor` command asks of a running Moor (profiles, node groups, host
// mounts). It listens on a Unix socket in the data directory, so only local root reaches it.
// JSON in and out; errors as {"error": {"category", "message"}} with a matching HTTP status.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { invalid, isMoorError, type MoorError, notFound } from "../../errors/mod.js";
import type { Component } from "../../component/mod.js";

export type Handler = (request: { method: string; path: string[]; query: URLSearchParams; body: unknown }) => Promise<unknown> | unknown;

/** Routes: "METHOD /first-segment" → handler that receives the remaining path segments. */
export type Routes = Record<string, Handler>;

const bodyBytesMax = 1024 * 1024;

const statusOf: Record<MoorError["category"], number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 400,
  Unsupported: 400,
  Unavailable: 503,
  LimitExceeded: 429,
  Expired: 410,
  Forbidden: 403,
};

export function createMoorApi(socketPath: string, routes: Routes): Component {
  let server: Server | undefined;
  return {
    name: "moor-api",
    async start() {
      mkdirSync(dirname(socketPath), { recursive: true });
      rmSync(socketPath, { force: true });
      server = createServer((request, response) => void serve(routes, request, response));
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(socketPath, () => resolve());
      });
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeAllConnections();
      rmSync(socketPath, { force: true });
    },
  };
}

async function serve(routes: Routes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? "/", "http://moor");
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== "v1" || segments.length < 2) throw notFound(`Cannot serve "${url.pathname}": no such moor API path`);
    const handler = routes[`${request.method} ${segments[1]}`];
    if (!handler) throw notFound(`Cannot serve ${request.method} "${url.pathname}": no such moor API path`);
    const body = await readJson(request);
    const result = await handler({ method: request.method ?? "GET", path: segments.slice(2), query: url.searchParams, body });
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result ?? {}));
  } catch (error) {
    const known = isMoorError(error);
    if (!known) console.error("moor: moor API request failed:", error);
    const status = known ? statusOf[error.category] : 500;
    const message = known ? error.message : "internal error; see Moor's log";
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { category: known ? error.category : "Internal", message } }));
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodyBytesMax) throw invalid(`Cannot read the request: the body is larger than ${bodyBytesMax} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw invalid("Cannot read the request: the body is not JSON");
  }
}
