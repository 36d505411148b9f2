// `moor image push`: a stored image to an OCI distribution registry. Each unpacked layer goes
// back as an uncompressed tar made with the reproducible options (the same files, the same
// digest, so a second push finds its layers there and sends nothing), remembered per layer so
// that check needs no tar. When a layer's tar is not byte for byte the one it was unpacked from,
// the pushed config names the new digests and the store records them as aliases of the layer
// already unpacked, so pulling the pushed image back unpacks nothing.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { forbidden, notFound, quote, unavailable } from "../../errors/mod.js";
import type { Credentials } from "./_registry.js";
import { isLoopbackRegistry } from "./_registry.js";
import { parseReference } from "./_refs.js";
import { reproducibleTarOptions } from "./_tar.js";
import type { ImageStore } from "./mod.js";

export interface PushOptions {
  credentials?: Credentials;
  /** The registry's base URL ("http://127.1.2.3:80") when its name is not the way to reach it. */
  endpoint?: string;
  output?: (line: string) => void;
}

export interface PushResult {
  digest: string;
  sizeBytes: number;
}

interface Blob {
  digest: string;
  size: number;
}

export const layerMediaType = "application/vnd.oci.image.layer.v1.tar";

export async function pushImage(store: ImageStore, source: string, target: string, options: PushOptions = {}): Promise<PushResult> {
  const image = store.find(source);
  if (!image) throw notFound(`Cannot push image ${quote(source)}: no such image in Moor's image store`);
  const reference = parseReference(target);
  const base = options.endpoint ?? `${isLoopbackRegistry(reference.registry) ? "http" : "https"}://${reference.registry}`;
  const client = new PushClient(`${base}/v2/${reference.repository}/`, reference.registry, options.credentials);
  const output = options.output ?? (() => {});
  const layers: Blob[] = [];
  for (const diffId of image.layers) {
    const known = pushedBlob(store, diffId);
    if (known && (await client.hasBlob(known.digest))) {
      output(`${known.digest.slice(7, 19)}: Layer already exists`);
      layers.push(known);
      continue;
    }
    const blob = await client.uploadLayer(store.layerDirectory(diffId));
    rememberPushed(store, diffId, blob);
    if (blob.digest !== diffId) store.aliasLayer(blob.digest, diffId);
    output(`${blob.digest.slice(7, 19)}: Pushed`);
    layers.push(blob);
  }
  const stored = store.configJson(image);
  const config = JSON.parse(stored) as { rootfs?: { diff_ids?: string[] } };
  const same = layers.every((layer, index) => layer.digest === image.layers[index]);
  const configBytes = Buffer.from(same ? stored : JSON.stringify({ ...config, rootfs: { type: "layers", diff_ids: layers.map((layer) => layer.digest) } }));
  const configBlob = { digest: sha256(configBytes), size: configBytes.length };
  if (!(await client.hasBlob(configBlob.digest))) await client.upload(configBlob, Readable.from([configBytes]));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...configBlob },
      layers: layers.map((layer) => ({ mediaType: layerMediaType, ...layer })),
    }),
  );
  await client.putManifest(reference.tag ?? "latest", manifest);
  const digest = sha256(manifest);
  output(`${reference.tag ?? "latest"}: digest: ${digest} size: ${manifest.length}`);
  return { digest, sizeBytes: layers.reduce((sum, layer) => sum + layer.size, 0) };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function pushedPath(store: ImageStore, diffId: string): string {
  return join(store.root, "pushed", `${diffId.slice(7)}.json`);
}

function pushedBlob(store: ImageStore, diffId: string): Blob | undefined {
  try {
    return JSON.parse(readFileSync(pushedPath(store, diffId), "utf8")) as Blob;
  } catch {
    return undefined;
  }
}

function rememberPushed(store: ImageStore, diffId: string, blob: Blob): void {
  mkdirSync(join(store.root, "pushed"), { recursive: true });
  writeFileSync(pushedPath(store, diffId), JSON.stringify(blob));
}

/** Runs tar over the directory, its output going to `sink` as it is made, hashed on the way. */
async function tarInto(directory: string, sink: (body: Readable) => Promise<void>): Promise<Blob> {
  const child = spawn("tar", [...reproducibleTarOptions(), "-C", directory, "-cf", "-", "."], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const hash = createHash("sha256");
  let size = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  await sink(child.stdout);
  const code = await exited;
  if (code !== 0) throw unavailable(`Cannot pack layer ${quote(directory)}: tar exited with ${code}: ${stderr.trim()}`);
  return { digest: `sha256:${hash.digest("hex")}`, size };
}

class PushClient {
  private readonly authorization: string | undefined;

  constructor(
    private readonly base: string,
    private readonly registry: string,
    credentials: Credentials | undefined,
  ) {
    if (credentials) this.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
  }

  async hasBlob(digest: string): Promise<boolean> {
    const response = await this.request("HEAD", `blobs/${digest}`);
    if (response.status === 404) return false;
    await this.check(response, `check blob ${digest}`);
    return true;
  }

  async upload(blob: Blob, body: Readable): Promise<void> {
    const response = await this.request("POST", `blobs/uploads/?digest=${encodeURIComponent(blob.digest)}`, body, { "Content-Length": String(blob.size), "Content-Type": "application/octet-stream" });
    await this.check(response, `upload blob ${blob.digest}`);
  }

  /** A layer in one pass: tar streams into a chunked upload, which the digest then closes. */
  async uploadLayer(directory: string): Promise<Blob> {
    const started = await this.request("POST", "blobs/uploads/");
    await this.check(started, "start an upload");
    const location = new URL(started.headers.get("location") ?? "", this.base);
    const blob = await tarInto(directory, async (body) => {
      const patched = await this.request("PATCH", location.href, body, { "Content-Type": "application/octet-stream" });
      await this.check(patched, "upload a layer");
    });
    location.searchParams.set("digest", blob.digest);
    await this.check(await this.request("PUT", location.href), `finish blob ${blob.digest}`);
    return blob;
  }

  async putManifest(tag: string, manifest: Buffer): Promise<void> {
    const response = await this.request("PUT", `manifests/${tag}`, Readable.from([manifest]), { "Content-Type": "application/vnd.oci.image.manifest.v1+json" });
    await this.check(response, `push manifest ${tag}`);
  }

  private async request(method: string, path: string, body?: Readable, headers: Record<string, string> = {}): Promise<Response> {
    const all: Record<string, string> = { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}) };
    try {
      return await fetch(new URL(path, this.base), { method, headers: all, ...(body ? { body: Readable.toWeb(body) as any, duplex: "half" } : {}) } as RequestInit);
    } catch (error) {
      throw unavailable(`Cannot reach registry ${quote(this.registry)}: ${(error as Error).cause ?? (error as Error).message}`);
    }
  }

  /** Turns a refusal into an error carrying the registry's own code and message. */
  private async check(response: Response, action: string): Promise<void> {
    if (response.ok) return;
    const text = await response.text();
    let detail = text.trim() || `status ${response.status}`;
    try {
      const first = (JSON.parse(text) as { errors?: { code: string; message: string }[] }).errors?.[0];
      if (first) detail = `${first.code.toLowerCase().replace(/_/g, " ")}: ${first.message}`;
    } catch {
      // Not the distribution error shape: keep the text.
    }
    const error = response.status === 401 || response.status === 403 ? forbidden : response.status === 404 ? notFound : unavailable;
    throw error(`Cannot ${action} to ${quote(this.registry)}: ${detail}`);
  }
}
