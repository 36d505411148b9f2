// Which service a request is for: the SigV4 credential scope's service name (from the
// Authorization header, or X-Amz-Credential in a presigned URL; any region is accepted and no
// signature is checked), else the X-Amz-Target prefix, else a query `Version` that one model
// has, else a rest-json path one model routes. Unsigned requests are accepted.

import type { IncomingHttpHeaders } from "node:http";
import type { ServiceModel } from "./_model.js";
import { header } from "./_protocol.js";
import { pathSegments, restRoutes } from "./_routes.js";

export interface Credential {
  accessKeyId: string;
  region: string;
  service: string;
}

const scope = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function credentialOf(headers: IncomingHttpHeaders, url: URL): Credential | undefined {
  const authorization = header(headers, "authorization");
  const found = (authorization && scope.exec(authorization)) || scope.exec(`Credential=${url.searchParams.get("X-Amz-Credential") ?? ""}`);
  return found ? { accessKeyId: found[1]!, region: found[2]!, service: found[3]! } : undefined;
}

export class Dispatcher<T extends { model: ServiceModel }> {
  readonly #bySigningName = new Map<string, T>();
  readonly #byTarget = new Map<string, T>();
  readonly #byVersion = new Map<string, T>();
  readonly #restJson: T[] = [];

  constructor(entries: readonly T[]) {
    for (const entry of entries) {
      const { model } = entry;
      this.#bySigningName.set(model.signingName, entry);
      if (model.targetPrefix) this.#byTarget.set(model.targetPrefix, entry);
      if (model.protocol === "query" || model.protocol === "ec2") this.#byVersion.set(model.apiVersion, entry);
      if (model.protocol === "rest-json") this.#restJson.push(entry);
    }
  }

  /** The entry the request belongs to, or undefined when no served model claims it. */
  find(method: string, url: URL, headers: IncomingHttpHeaders, credential: Credential | undefined): T | "form" | undefined {
    if (credential) return this.#bySigningName.get(credential.service);
    const target = header(headers, "x-amz-target");
    if (target !== undefined) return this.#byTarget.get(target.slice(0, target.lastIndexOf(".")));
    const version = url.searchParams.get("Version") ?? undefined;
    if (version !== undefined) return this.#byVersion.get(version);
    if (method === "POST" && url.pathname === "/" && /x-www-form-urlencoded/i.test(header(headers, "content-type") ?? "")) {
      // The Version is in the body: the caller reads it and asks byVersion.
      return this.#byVersion.size > 0 ? "form" : undefined;
    }
    const segments = pathSegments(url.pathname);
    return this.#restJson.find((entry) => restRoutes(entry.model).some((route) => route.method === method && route.match(segments)));
  }

  /** The query or ec2 service whose API version a form body names. */
  byVersion(version: string): T | undefined {
    return this.#byVersion.get(version);
  }
}
