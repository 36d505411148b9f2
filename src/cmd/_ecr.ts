// ECR's wiring: the ECR service, the registry that serves its repositories (on a loopback
// address of this data directory, port 80, so the repository URI needs no port), the host name
// "<account>.dkr.ecr.<region>.amazonaws.com" in a marked block of /etc/hosts (for skopeo,
// buildah, docker), and how the node agent and `moor image push` reach the registry directly.

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Component } from "../component/mod.js";
import type { MoorConfig } from "../config/mod.js";
import type { Store } from "../store/mod.js";
import { createEcrService, parseRegistryHost, registryHost, registryPassword } from "../services/ecr/mod.js";
import { createRegistryServer } from "../frontends/registry/mod.js";
import { BlobStore, type RegistryAccess } from "../engines/images/mod.js";
import { writeHostsBlock } from "../engines/loadbalancers/mod.js";

/** The registry's address: 127.<192-223>.<b>.1 from the data directory (load balancers use 127.64-191). */
export function registryAddress(config: MoorConfig): { host: string; port: number } {
  const value = createHash("sha256").update(config.home).digest().readUInt16BE(0);
  return { host: `127.${192 + ((value >> 8) % 32)}.${value & 255}.1`, port: 80 };
}

/** The secret registry passwords are signed with, made once per data directory. */
export function registryTokenSecret(config: MoorConfig): string {
  const file = join(config.home, "ecr-token.key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(config.home, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

/** The ECR registry of this Moor, for the agent's pulls and `moor image push`. */
export function registryAccess(config: MoorConfig): RegistryAccess {
  const { host, port } = registryAddress(config);
  const secret = registryTokenSecret(config);
  return (registry) => {
    if (parseRegistryHost(registry)?.accountId !== config.accountId) return undefined;
    return { endpoint: `http://${host}:${port}`, credentials: { username: "AWS", password: registryPassword(config.accountId, secret) } };
  };
}

/** The marker of this Moor's registry block in /etc/hosts (beside its load balancers' block). */
export function registryHostsBlock(hostsDigest: string): string {
  return `${hostsDigest}-ecr`;
}

const hostsFile = "/etc/hosts";

export function buildEcr(config: MoorConfig, store: Store, hostsDigest: string): Component[] {
  const ecr = createEcrService({ store, accountId: config.accountId, tokenSecret: registryTokenSecret(config) });
  const address = registryAddress(config);
  const name = registryHost(config.accountId, config.region);
  const server = createRegistryServer({ ...address, rules: ecr.registry, blobs: new BlobStore(join(config.home, "registry")), realm: `https://${name}/` });
  const block = registryHostsBlock(hostsDigest);
  return [
    server,
    {
      name: "registry-hosts",
      // Every Moor on the host claims this name: the one started last answers for it.
      start: () => writeHostsBlock(hostsFile, block, [{ address: address.host, hostname: name }], "first"),
      stop: () => writeHostsBlock(hostsFile, block, []),
    },
  ];
}
