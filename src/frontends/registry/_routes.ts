// The distribution API's routes: the version check, blobs (read, and uploads: monolithic,
// chunked, or mounted from another repository), manifests (read, push, delete) and tag lists.
// Every request is authenticated with the ECR token; every repository must exist in ECR.

import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { invalid, MoorError, notFound } from "../../errors/mod.js";
import { readBody, type Exchange } from "../http/mod.js";
import type { RegistryServerOptions } from "./mod.js";

const manifestBytesMax = 4 * 1024 * 1024;
const apiHeader = { "Docker-Distribution-API-Version": "registry/2.0" };

type Handler = (options: RegistryServerOptions, exchange: Exchange, match: RegExpExecArray, url: URL) => Promise<void> | void;

const routes: [RegExp, Record<string, Handler>][] = [
  [/^\/v2\/?$/, { GET: (_options, exchange) => send(exchange.response, 200, { "Content-Type": "application/json" }, "{}") }],
  [/^\/v2\/(.+)\/blobs\/uploads\/?([^/]*)$/, { POST: startUpload, PATCH: patchUpload, PUT: finishUpload, GET: uploadStatus, DELETE: cancelUpload }],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, { GET: readBlob, HEAD: readBlob }],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, { GET: readManifest, HEAD: readManifest, PUT: putManifest, DELETE: deleteManifest }],
  [/^\/v2\/(.+)\/tags\/list$/, { GET: listTags }],
];

export async function handleRegistry(options: RegistryServerOptions, exchange: Exchange): Promise<void> {
  const url = new URL(exchange.request.url ?? "/", "http://registry");
  options.rules.authenticate(exchange.request.headers.authorization);
  for (const [pattern, methods] of routes) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    const handler = methods[exchange.request.method ?? "GET"];
    if (!handler) throw new MoorError("Unsupported", `Cannot ${exchange.request.method} ${url.pathname}: the registry does not support it`, { code: "UNSUPPORTED" });
    if (match[1] !== undefined) options.rules.requireRepository(decodeURIComponent(match[1]));
    return handler(options, exchange, match, url);
  }
  throw notFound(`Cannot route ${url.pathname}: not a distribution API path`, { code: "NAME_INVALID" });
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body = ""): void {
  response.writeHead(status, { ...apiHeader, "Content-Length": String(Buffer.byteLength(body)), ...headers });
  response.end(body);
}

function uploadHeaders(name: string, id: string, size: number): Record<string, string> {
  return { Location: `/v2/${name}/blobs/uploads/${id}`, Range: `0-${Math.max(size - 1, 0)}`, "Docker-Upload-UUID": id };
}

function knownUpload(options: RegistryServerOptions, id: string): number {
  const size = options.blobs.uploadSize(id);
  if (size === undefined) throw notFound(`Cannot continue upload "${id}": no such upload`, { code: "BLOB_UPLOAD_UNKNOWN" });
  return size;
}

async function startUpload(options: RegistryServerOptions, { request, response }: Exchange, match: RegExpExecArray, url: URL) {
  const name = match[1]!;
  const mount = url.searchParams.get("mount");
  if (mount && options.blobs.size(mount) !== undefined) {
    request.resume();
    return send(response, 201, { Location: `/v2/${name}/blobs/${mount}`, "Docker-Content-Digest": mount });
  }
  const id = options.blobs.startUpload();
  const digest = url.searchParams.get("digest");
  if (digest) {
    await options.blobs.append(id, request);
    await options.blobs.finish(id, digest);
    return send(response, 201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
  }
  request.resume();
  send(response, 202, uploadHeaders(name, id, 0));
}

async function patchUpload(options: RegistryServerOptions, { request, response }: Exchange, match: RegExpExecArray) {
  knownUpload(options, match[2]!);
  const size = await options.blobs.append(match[2]!, request);
  send(response, 202, uploadHeaders(match[1]!, match[2]!, size));
}

async function finishUpload(options: RegistryServerOptions, { request, response }: Exchange, match: RegExpExecArray, url: URL) {
  knownUpload(options, match[2]!);
  await options.blobs.append(match[2]!, request);
  const digest = url.searchParams.get("digest") ?? "";
  await options.blobs.finish(match[2]!, digest);
  send(response, 201, { Location: `/v2/${match[1]}/blobs/${digest}`, "Docker-Content-Digest": digest });
}

function uploadStatus(options: RegistryServerOptions, { response }: Exchange, match: RegExpExecArray) {
  send(response, 204, uploadHeaders(match[1]!, match[2]!, knownUpload(options, match[2]!)));
}

function cancelUpload(options: RegistryServerOptions, { response }: Exchange, match: RegExpExecArray) {
  knownUpload(options, match[2]!);
  options.blobs.cancel(match[2]!);
  send(response, 204, {});
}

async function readBlob(options: RegistryServerOptions, { request, response }: Exchange, match: RegExpExecArray) {
  const digest = match[2]!;
  const size = options.blobs.size(digest);
  if (size === undefined) throw notFound(`Cannot read blob ${JSON.stringify(digest)}: blob unknown to registry`, { code: "BLOB_UNKNOWN" });
  response.writeHead(200, { ...apiHeader, "Content-Length": String(size), "Content-Type": "application/octet-stream", "Docker-Content-Digest": digest, ETag: `"${digest}"` });
  if (request.method === "HEAD") return void response.end();
  await pipeline(options.blobs.read(digest), response);
}

function readManifest(options: RegistryServerOptions, { request, response }: Exchange, match: RegExpExecArray) {
  const record = options.rules.resolve(match[1]!, decodeURIComponent(match[2]!));
  const bytes = options.blobs.readBytes(record.digest);
  const headers = { "Content-Type": record.mediaType, "Docker-Content-Digest": record.digest, ETag: `"${record.digest}"` };
  if (request.method === "HEAD") {
    response.writeHead(200, { ...apiHeader, ...headers, "Content-Length": String(bytes.length) });
    return void response.end();
  }
  response.writeHead(200, { ...apiHeader, ...headers, "Content-Length": String(bytes.length) });
  response.end(bytes);
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
}

async function putManifest(options: RegistryServerOptions, { request, response }: Exchange, match: RegExpExecArray) {
  const [name, reference] = [match[1]!, decodeURIComponent(match[2]!)];
  const bytes = await readBody(request, manifestBytesMax);
  let manifest: { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
  try {
    manifest = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw invalid("Cannot store manifest: it is not JSON", { code: "MANIFEST_INVALID" });
  }
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if (reference.includes(":") && reference !== digest) throw invalid(`Cannot store manifest under ${JSON.stringify(reference)}: its digest is ${JSON.stringify(digest)}`, { code: "DIGEST_INVALID" });
  const referenced = [...(manifest.config ? [manifest.config] : []), ...(manifest.layers ?? []), ...(manifest.manifests ?? [])];
  const missing = referenced.find((descriptor) => options.blobs.size(descriptor.digest) === undefined);
  if (missing) throw invalid(`Cannot store manifest: blob ${JSON.stringify(missing.digest)} is unknown to the registry`, { code: "MANIFEST_BLOB_UNKNOWN" });
  const mediaType = request.headers["content-type"]?.split(";")[0]?.trim() || manifest.mediaType || "application/vnd.oci.image.manifest.v1+json";
  const sizeBytes = (manifest.layers ?? manifest.manifests ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  // The bytes first: a pull that finds the tag finds its manifest.
  options.blobs.writeBytes(bytes);
  options.rules.recordManifest(name, reference, { digest, mediaType, sizeBytes, ...(manifest.config?.mediaType ? { artifactMediaType: manifest.config.mediaType } : {}) });
  send(response, 201, { Location: `/v2/${name}/manifests/${digest}`, "Docker-Content-Digest": digest });
}

function deleteManifest(options: RegistryServerOptions, { response }: Exchange, match: RegExpExecArray) {
  const reference = decodeURIComponent(match[2]!);
  if (!reference.includes(":")) throw new MoorError("Unsupported", "Cannot delete a manifest by tag: name its digest", { code: "UNSUPPORTED" });
  options.rules.deleteManifest(match[1]!, reference);
  send(response, 202, {});
}

function listTags(options: RegistryServerOptions, { response }: Exchange, match: RegExpExecArray) {
  send(response, 200, { "Content-Type": "application/json" }, JSON.stringify({ name: match[1], tags: options.rules.tags(match[1]!) }));
}
