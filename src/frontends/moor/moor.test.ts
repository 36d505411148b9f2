import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { notFound } from "../../errors/mod.js";
import { bodyBytesMax, callMoorApi, createMoorApi, MoorApiError } from "./mod.js";

function raw(socketPath: string, method: string, path: string, body: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    // The answer to a refused body can come before the body is sent: settle once both are done,
    // on a kept-alive connection (the server drains the rest rather than closing).
    const agent = new Agent({ keepAlive: true });
    const outgoing = request({ socketPath, agent, method, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk) => chunks.push(chunk));
      const sent = new Promise((done) => (outgoing.writableFinished ? done(undefined) : outgoing.once("finish", done)));
      response.on("end", () =>
        void sent.then(() => {
          agent.destroy();
          resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("the moor API", () => {
  it("serves routes to callMoorApi() and answers errors as {error: {category, message}} with the category's status", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "moor-api-")), "api.sock");
    const api = createMoorApi(socketPath, {
      "POST things": ({ path, body }) => ({ path, body }),
      "GET things": () => {
        throw notFound('Cannot find thing "x"');
      },
      "GET bugs": () => {
        throw new TypeError("a bug");
      },
    });
    await api.start();
    try {
      assert.deepEqual(await callMoorApi(socketPath, "POST", "/v1/things/a%20b", { n: 1 }), { path: ["a b"], body: { n: 1 } });
      await assert.rejects(callMoorApi(socketPath, "GET", "/v1/things"), (error: unknown) => error instanceof MoorApiError && error.status === 404 && error.message === 'Cannot find thing "x"');
      await assert.rejects(callMoorApi(socketPath, "GET", "/v1/bugs"), (error: unknown) => error instanceof MoorApiError && error.status === 500);
      assert.deepEqual(await raw(socketPath, "POST", "/v1/things", "{"), { status: 400, body: { error: { category: "Invalid", message: "Cannot read the request: the body is not JSON" } } });
      const huge = await raw(socketPath, "POST", "/v1/things", "x".repeat(bodyBytesMax + 1));
      assert.deepEqual(huge, { status: 400, body: { error: { category: "Invalid", message: `Cannot read the request: the body is larger than ${bodyBytesMax} bytes` } } });
    } finally {
      await api.stop();
    }
    await assert.rejects(callMoorApi(socketPath, "GET", "/v1/things"), (error: unknown) => error instanceof MoorApiError && error.status === 503);
  });
});
