// The moor API: what the `moor` command asks of a running Moor (profiles, node groups, host
// mounts). It listens on a Unix socket in the data directory, so only local root reaches it.
// JSON in and out; errors as {"error": {"category", "message"}} with a matching HTTP status.
//
// Both sides live here: `createMoorApi(socketPath, routes)` is the server (a Component on the
// HTTP core), `callMoorApi(socketPath, method, path, body?)` the `moor` command's client.

import { invalid, isMoorError, type MoorError, notFound } from "../../errors/mod.js";
import type { Component } from "../../component/mod.js";
import { type ErrorRenderer, type Exchange, HttpServer, isRequestError, parseJson, readBody, type RequestError, sendAnswer, type WireAnswer } from "../http/mod.js";

export { callMoorApi, MoorApiError } from "./_client.js";

export type Handler = (request: { method: string; path: string[]; query: URLSearchParams; body: unknown }) => Promise<unknown> | unknown;

/** Routes: "METHOD /first-segment" → handler that receives the remaining path segments. */
export type Routes = Record<string, Handler>;

export const bodyBytesMax = 1024 * 1024;

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
  const server = new HttpServer({ name: "moor API", listen: { socketPath }, handle: (exchange) => serve(routes, exchange), renderer: errorRenderer });
  return { name: "moor-api", start: () => server.start(), stop: () => server.stop() };
}

async function serve(routes: Routes, { request, response }: Exchange): Promise<void> {
  const url = new URL(request.url ?? "/", "http://moor");
  const segments = url.pathname.split("/").filter(Boolean).map(decodePathSegment);
  if (segments[0] !== "v1" || segments.length < 2) throw notFound(`Cannot serve "${url.pathname}": no such moor API path`);
  const handler = routes[`${request.method} ${segments[1]}`];
  if (!handler) throw notFound(`Cannot serve ${request.method} "${url.pathname}": no such moor API path`);
  const bytes = await readBody(request, bodyBytesMax);
  const body = bytes.length === 0 ? undefined : parseJson(bytes);
  const result = await handler({ method: request.method ?? "GET", path: segments.slice(2), query: url.searchParams, body });
  sendAnswer(response, jsonAnswer(200, result ?? {}));
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid(`Cannot serve path segment ${JSON.stringify(segment)}: it is not validly percent-encoded`);
  }
}

/** MoorErrors by category; the core's request errors as Invalid, in this API's words. */
export const errorRenderer: ErrorRenderer = {
  render(error) {
    if (isMoorError(error)) return errorAnswer(statusOf[error.category], error.category, error.message);
    if (isRequestError(error)) return errorAnswer(requestStatus(error), "Invalid", requestMessage(error));
    return undefined;
  },
  internal: () => errorAnswer(500, "Internal", "internal error; see Moor's log"),
};

function requestStatus(error: RequestError): number {
  return error.problem === "Timeout" || error.problem === "MalformedHttp" ? error.status : 400;
}

function requestMessage(error: RequestError): string {
  if (error.problem === "BodyTooLarge") return `Cannot read the request: the body is larger than ${error.limitBytes} bytes`;
  if (error.problem === "MalformedJson") return "Cannot read the request: the body is not JSON";
  return error.message;
}

function errorAnswer(status: number, category: string, message: string): WireAnswer {
  return jsonAnswer(status, { error: { category, message } });
}

function jsonAnswer(status: number, value: unknown): WireAnswer {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
