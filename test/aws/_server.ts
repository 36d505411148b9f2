// An AWS front end in this process for the protocol tests: the real server on a free port, with
// service modules the test gives (fakes that record their input), and SDK-style credentials.

import { after, before } from "node:test";
import { AwsServer, type ServiceModule } from "../../src/frontends/aws/mod.js";

export const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };
export const accountId = "123456789012";

export interface Served {
  endpoint: string;
  server: AwsServer;
}

/** Starts a server with `modules` before the file's tests and stops it after them. */
export function serveModules(modules: ServiceModule[], receive: (served: Served) => void): void {
  let server: AwsServer | undefined;
  before(async () => {
    server = new AwsServer({ host: "127.0.0.1", port: 0, services: [], modules, region: "eu-west-1", accountId });
    await server.start();
    receive({ endpoint: `http://127.0.0.1:${server.port}`, server });
  });
  after(async () => {
    await server?.stop();
  });
}

/** A raw request: status, headers and body text. */
export async function send(endpoint: string, init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Uint8Array }): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${endpoint}${init.path ?? "/"}`, { method: init.method ?? "POST", headers: init.headers, body: init.body as BodyInit | undefined });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** An Authorization header as SigV4 clients send it (the signature is not checked). */
export function signedFor(service: string, region = "us-west-2"): Record<string, string> {
  return { Authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20250101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00` };
}
