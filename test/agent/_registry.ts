// A real OCI distribution registry (Debian's docker-registry) on 127.0.0.1 with token auth:
// a token service here signs JWTs with a throw-away certificate the registry trusts, and only
// for the user and password the test gives. Also pushes images to it over the v2 API.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, createSign, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { freePort } from "../harness.js";

export interface TestRegistry {
  host: string;
  push(repository: string, tag: string, config: string, layers: Buffer[]): Promise<string>;
  stop(): Promise<void>;
}

const issuer = "moor-test-issuer";
const service = "moor-test-registry";

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export async function startRegistry(directory: string, user: { name: string; password: string }): Promise<TestRegistry> {
  const key = join(directory, "token.key");
  const cert = join(directory, "token.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=moor-test-token"], { stdio: "ignore" });
  const certificate = readFileSync(cert, "utf8").replace(/-----[^-]+-----|\s/g, "");
  const privateKey = readFileSync(key, "utf8");
  const sign = (subject: string, scope: string | null) => {
    const access = scope ? [{ type: "repository", name: scope.split(":")[1], actions: scope.split(":")[2]!.split(",") }] : [];
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [certificate] }));
    const claims = base64url(JSON.stringify({ iss: issuer, sub: subject, aud: service, exp: now + 600, nbf: now - 10, iat: now, jti: randomBytes(8).toString("hex"), access }));
    const signature = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(privateKey);
    return `${header}.${claims}.${base64url(signature)}`;
  };
  const tokens: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const basic = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
    if (basic !== `${user.name}:${user.password}`) {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: sign(user.name, url.searchParams.get("scope")) }));
  });
  const tokenPort = await freePort();
  await new Promise<void>((resolve) => tokens.listen(tokenPort, "127.0.0.1", resolve));
  const port = await freePort();
  const config = join(directory, "config.yml");
  writeFileSync(config, [
    "version: 0.1",
    "log: { level: error }",
    `storage: { filesystem: { rootdirectory: ${join(directory, "data")} } }`,
    `http: { addr: "127.0.0.1:${port}" }`,
    `auth: { token: { realm: "http://127.0.0.1:${tokenPort}/token", service: ${service}, issuer: ${issuer}, rootcertbundle: ${cert} } }`,
    "",
  ].join("\n"));
  const registry: ChildProcess = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  const host = `127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const ok = await fetch(`http://${host}/v2/`).then((response) => response.status === 401, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const auth = (repository: string) => ({ authorization: `Bearer ${sign(user.name, `repository:${repository}:pull,push`)}` });
  const sha = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
  const pushBlob = async (repository: string, data: Buffer) => {
    const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: "POST", headers: auth(repository) });
    const location = new URL(start.headers.get("location")!, `http://${host}`);
    location.searchParams.set("digest", sha(data));
    const put = await fetch(location, { method: "PUT", headers: { ...auth(repository), "content-type": "application/octet-stream" }, body: new Uint8Array(data) });
    if (put.status !== 201) throw new Error(`pushing a blob failed: ${put.status} ${await put.text()}`);
    return { digest: sha(data), size: data.length };
  };
  return {
    host,
    async push(repository, tag, config, layers) {
      const configDescriptor = await pushBlob(repository, Buffer.from(config));
      const layerDescriptors = [];
      for (const layer of layers) layerDescriptors.push({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...(await pushBlob(repository, layer)) });
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", ...configDescriptor }, layers: layerDescriptors });
      const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: "PUT", headers: { ...auth(repository), "content-type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
      if (put.status !== 201) throw new Error(`pushing the manifest failed: ${put.status} ${await put.text()}`);
      return sha(manifest);
    },
    async stop() {
      const exited = new Promise((resolve) => registry.once("exit", resolve));
      registry.kill("SIGTERM");
      await exited;
      await new Promise((resolve) => tokens.close(resolve));
    },
  };
}
