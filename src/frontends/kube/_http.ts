// HTTP plumbing shared by the verbs, on the HTTP core: bounded request bodies, JSON/YAML
// decoding with upstream's errors, JSON responses, and the renderer that turns every error into
// a Status.

import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { isMoorError } from "../../errors/mod.js";
import { type ErrorRenderer, isRequestError, parseJson, readBody as readBodyUpTo, type RequestError, type WireAnswer } from "../http/mod.js";
import { decodeProtobufBody } from "./_protobuf.js";
import { badRequest, HttpError, status, type Status, statusOf } from "./_status.js";

/** Upstream's limit for a request body (3 MiB); larger bodies get 413. */
export const bodyBytesMax = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return readBodyUpTo(req, bodyBytesMax);
}

/** Every error as a Status: the core's request errors in upstream's words, HttpError and MoorError by statusOf. */
export const statusRenderer: ErrorRenderer = {
  render(error) {
    if (isRequestError(error)) return statusAnswer(requestStatus(error));
    if (error instanceof HttpError) return statusAnswer(statusOf(error), error.headers);
    if (isMoorError(error)) return statusAnswer(statusOf(error));
    return undefined;
  },
  internal: () => statusAnswer(status(500, "InternalError", "an error on the server has prevented the request from succeeding")),
};

function requestStatus(error: RequestError): Status {
  switch (error.problem) {
    case "BodyTooLarge":
      return status(413, "RequestEntityTooLarge", `Request entity too large: limit is ${error.limitBytes}`);
    case "MalformedJson":
      return status(400, "BadRequest", `couldn't get version/kind; json parse error: ${error.detail}`);
    case "Timeout":
      return status(error.status, "Timeout", error.message);
    default:
      return status(error.status, "BadRequest", error.message);
  }
}

function statusAnswer(value: Status, headers: Record<string, string> = {}): WireAnswer {
  return { status: value.code, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(value) };
}

function mediaType(req: IncomingMessage): string {
  return String(req.headers["content-type"] ?? "application/json").split(";")[0]!.trim().toLowerCase();
}

/** Decodes a JSON or YAML body into an object; anything else is 400 or 415 as upstream. */
export function decodeBody(req: IncomingMessage, body: Buffer, allowed = ["application/json", "application/yaml", "*/*", ""]): unknown {
  const type = mediaType(req);
  if (type === "application/vnd.kubernetes.protobuf") return decodeProtobufBody(body);
  if (!allowed.includes(type)) {
    throw new HttpError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest("the body of the request is empty: an object was expected");
  // Upstream reads YAML as JSON, so both fail with its JSON message (the renderer words MalformedJson).
  if (!type.includes("yaml")) return parseJson(text);
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message.split("\n")[0]}`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Does the client ask for a Table (kubectl's human-readable `get`)? */
export function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(String(req.headers.accept ?? ""));
}

export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === "true" || value === "1";
}

export function parseSeconds(value: string | null, name: string): number | undefined {
  if (value === null || value === "") return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`invalid value for ${name}: "${value}" is not an integer`);
  return Number(value);
}
