// Pulls from an OCI distribution registry (the v2 API): the manifest (an index picks
// linux/amd64), the config, then each layer not yet unpacked, digests checked. Token auth
// follows the registry's Bearer challenge (with the pod's pull-secret credentials when given);
// Basic auth is answered with them directly. Only registries the agent may reach are tried:
// by default those on the loopback interface (the machine's rule: no traffic leaves it).

import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { forbidden, invalid, isMoorError, notFound, quote, unavailable } from "../../errors/mod.js";
import type { Image, ImageStore } from "./mod.js";
import { formatReference, parseReference } from "./_refs.js";

export interface Credentials {
  username: string;
  password: string;
}

/** How Moor reaches a registry it serves itself (ECR): its address and the credentials to use. */
export type RegistryAccess = (registry: string) => { endpoint: string; credentials: Credentials } | undefined;

export interface PullOptions {
  credentials?: Credentials;
  /** Registries (host[:port]) that may be contacted besides loopback ones. */
  allowedRegistries?: string[];
  /** The registry's base URL ("http://127.1.2.3:80") when its name is not the way to reach it. */
  endpoint?: string;
}

const manifestTypes = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function pullImage(store: ImageStore, text: string, options: PullOptions = {}): Promise<Image> {
  const reference = parseReference(text);
  const { registry, repository } = reference;
  if (!options.endpoint && !isLoopbackRegistry(registry) && !(options.allowedRegistries ?? []).includes(registry)) {
    throw forbidden(`Cannot pull image ${quote(text)}: registry ${quote(registry)} is not reachable from Moor (only loopback registries are allowed)`);
  }
  const client = new RegistryClient(registry, repository, options.credentials, options.endpoint);
  let manifest = await client.json(`manifests/${reference.digest ?? reference.tag}`, manifestTypes).catch((error) => {
    // containerd's words for a reference the registry does not know, as the kubelet shows them.
    const named = formatReference(reference);
    if (isMoorError(error) && error.category === "NotFound") throw notFound(`rpc error: code = NotFound desc = failed to pull and unpack image "${named}": failed to resolve reference "${named}": ${named}: not found`, { cause: error });
    throw error;
  });
  if (manifest.body.manifests) {
    const chosen = (manifest.body.manifests as any[]).find((entry) => !entry.platform || (entry.platform.os === "linux" && entry.platform.architecture === "amd64"));
    if (!chosen) throw notFound(`Cannot pull image ${quote(text)}: it has no linux/amd64 variant`);
    manifest = await client.json(`manifests/${chosen.digest}`, manifestTypes);
  }
  const configText = (await client.blob(manifest.body.config.digest)).toString("utf8");
  const diffIds: string[] = JSON.parse(configText).rootfs?.diff_ids ?? [];
  const layers = (manifest.body.layers as any[]).map((layer, index) => ({
    diffId: diffIds[index] ?? layer.digest,
    sizeBytes: Number(layer.size ?? 0),
    unpack: (directory: string) => client.unpack(layer.digest, String(layer.mediaType ?? ""), directory),
  }));
  const tagged = reference.tag ? [formatReference({ ...reference, digest: undefined })] : [];
  return store.add({ references: tagged, repoDigest: `${registry}/${repository}@${manifest.digest}`, configJson: configText, layers });
}

class RegistryClient {
  private authorization: string | undefined;
  private readonly base: string;

  constructor(
    private readonly registry: string,
    private readonly repository: string,
    private readonly credentials: Credentials | undefined,
    endpoint: string | undefined,
  ) {
    this.base = `${endpoint ?? `${isLoopbackRegistry(registry) ? "http" : "https"}://${registry}`}/v2/${repository}/`;
  }

  async json(path: string, accept: string): Promise<{ body: any; digest: string }> {
    const response = await this.fetch(path, accept);
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    return { body: JSON.parse(bytes.toString("utf8")), digest: response.headers.get("docker-content-digest") ?? digest };
  }

  async blob(digest: string): Promise<Buffer> {
    const bytes = Buffer.from(await (await this.fetch(`blobs/${digest}`, "*/*")).arrayBuffer());
    verify(digest, createHash("sha256").update(bytes).digest("hex"));
    return bytes;
  }

  /** Streams a layer into tar as it arrives (no copy on disk); its digest is checked at the end. */
  async unpack(digest: string, mediaType: string, directory: string): Promise<void> {
    const response = await this.fetch(`blobs/${digest}`, "*/*");
    const hash = createHash("sha256");
    const body = Readable.fromWeb(response.body as any);
    body.on("data", (chunk: Buffer) => hash.update(chunk));
    // tar cannot tell a compressed stream on a pipe: the media type says.
    const compression = /gzip/.test(mediaType) ? ["-z"] : /zstd/.test(mediaType) ? ["--zstd"] : [];
    const child = spawn("tar", ["-x", ...compression, "-f", "-", "-C", directory, "--numeric-owner", "-p"], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // tar's own failure says more than the broken pipe it causes.
    const [code, broken] = await Promise.all([exited, pipeline(body, child.stdin).then(() => undefined, (error: Error) => error)]);
    if (code !== 0) throw unavailable(`Cannot unpack layer ${quote(digest)}: tar exited with ${code}: ${stderr.trim()}`);
    if (broken) throw unavailable(`Cannot pull layer ${quote(digest)}: ${broken.message}`);
    verify(digest, hash.digest("hex"));
  }

  private async fetch(path: string, accept: string, retried = false): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.authorization) headers.authorization = this.authorization;
    let response: Response;
    try {
      response = await fetch(this.base + path, { headers });
    } catch (error) {
      throw unavailable(`Cannot reach registry ${quote(this.registry)}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    if (response.status === 401 && !retried) {
      await this.authenticate(response.headers.get("www-authenticate") ?? "");
      return this.fetch(path, accept, true);
    }
    if (response.status === 404) throw notFound(`${this.registry}/${this.repository}: not found: manifest unknown`);
    if (response.status === 401 || response.status === 403) throw forbidden(`pull access denied for ${this.registry}/${this.repository}, repository does not exist or may require authorization`);
    if (!response.ok) throw unavailable(`Cannot pull from registry ${quote(this.registry)}: it answered ${response.status}`);
    return response;
  }

  private async authenticate(challenge: string): Promise<void> {
    const basic = this.credentials ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}` : undefined;
    if (/^Basic/i.test(challenge)) {
      if (!basic) throw forbidden(`pull access denied for ${this.registry}/${this.repository}: the registry wants credentials`);
      this.authorization = basic;
      return;
    }
    const parameters = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
    if (!/^Bearer/i.test(challenge) || !parameters.realm) throw invalid(`Cannot authenticate to registry ${quote(this.registry)}: unknown challenge ${quote(challenge)}`);
    const realm = new URL(parameters.realm);
    if (!isLoopbackRegistry(realm.host)) throw forbidden(`Cannot authenticate to registry ${quote(this.registry)}: token service ${quote(realm.host)} is not on loopback`);
    if (parameters.service) realm.searchParams.set("service", parameters.service);
    realm.searchParams.set("scope", parameters.scope ?? `repository:${this.repository}:pull`);
    const response = await fetch(realm, { headers: basic ? { authorization: basic } : {} });
    if (!response.ok) throw forbidden(`pull access denied for ${this.registry}/${this.repository}: the token service answered ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw forbidden(`Cannot authenticate to registry ${quote(this.registry)}: the token service gave no token`);
    this.authorization = `Bearer ${token}`;
  }
}

function verify(digest: string, actualHex: string): void {
  if (digest !== `sha256:${actualHex}`) throw invalid(`Cannot pull blob ${quote(digest)}: its content has digest "sha256:${actualHex}"`);
}
