// The registry: the OCI distribution API (what `docker push`, skopeo, buildah, `moor image push`
// and the node agent's pulls speak) for ECR's repositories, on a loopback address of its own.
// ECR's rules (tokens, repositories, tags, immutability) are the ECR service's
// (`RegistryRules`); the bytes live in a content-addressed blob store given by the caller, one
// copy per digest across repositories. Plain HTTP: clients reach it as an insecure registry
// (skopeo --dest-tls-verify=false falls back from HTTPS to HTTP), Moor's own clients directly.
//
// Lifecycle: `createRegistryServer(options)` is a Component; `start()` listens, `stop()` stops.

import type { Readable } from "node:stream";
import type { Component } from "../../component/mod.js";
import type { RegistryRules } from "../../services/ecr/mod.js";
import { HttpServer } from "../http/mod.js";
import { registryRenderer } from "./_errors.js";
import { handleRegistry } from "./_routes.js";

/** The blob store the registry keeps bytes in (src/engines/images' BlobStore). */
export interface RegistryBlobs {
  size(digest: string): number | undefined;
  read(digest: string, range?: { start: number; end: number }): Readable;
  readBytes(digest: string): Buffer;
  writeBytes(bytes: Buffer): string;
  startUpload(): string;
  uploadSize(id: string): number | undefined;
  append(id: string, body: Readable): Promise<number>;
  finish(id: string, digest: string): Promise<void>;
  cancel(id: string): void;
}

export interface RegistryServerOptions {
  host: string;
  port: number;
  rules: RegistryRules;
  blobs: RegistryBlobs;
  /** The realm named in the Basic challenge ("https://<account>.dkr.ecr.<region>.amazonaws.com/"). */
  realm: string;
}

/** A layer upload may take long on a loaded machine; only the headers are bounded tightly. */
const requestTimeoutMs = 30 * 60_000;

export interface RegistryServer extends Component {
  readonly port: number | undefined;
}

export function createRegistryServer(options: RegistryServerOptions): RegistryServer {
  const server = new HttpServer({
    name: "registry",
    listen: { host: options.host, port: options.port },
    handle: (exchange) => handleRegistry(options, exchange),
    renderer: registryRenderer(options.realm),
    requestTimeoutMs,
  });
  return {
    name: "registry",
    get port() {
      return server.port;
    },
    start: () => server.start(),
    stop: () => server.stop(),
  };
}
