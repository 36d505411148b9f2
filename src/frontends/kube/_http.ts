// HTTP plumbing shared by the verbs: bounded request bodies, JSON/YAML decoding with upstream's
// errors, and JSON responses.

import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { decodeProtobufBody } from "./_protobuf.js";
import { badRequest, HttpError, type Status } from "./_status.js";

/** Upstream's limit for a request body (3 MiB); larger bodies get 413. */
export const requestBodyMax = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > requestBodyMax) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > requestBodyMax) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): HttpError {
  return new HttpError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${requestBodyMax}`);
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
  try {
    return type.includes("yaml") ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
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

export function sendStatus(res: ServerResponse, value: Status, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, value.code, value, headers);
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
