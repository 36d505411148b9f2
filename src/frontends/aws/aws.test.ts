import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invalid, MoorError } from "../../errors/mod.js";
import { connect } from "node:net";
import { AwsServer, type AwsService, bodyBytesMax, matchPath, parsePathTemplate } from "./mod.js";
import { split } from "./_router.js";

describe("rest-json routing", () => {
  it("matchPath() decodes each label after splitting, so an encoded ARN stays one label", () => {
    const template = parsePathTemplate("/2015-02-01/resource-tags/{ResourceId}");
    const arn = "arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-0123456789abcdef0";
    assert.deepEqual(matchPath(template, split(`/2015-02-01/resource-tags/${encodeURIComponent(arn)}`)), { ResourceId: arn });
    assert.equal(matchPath(template, split("/2015-02-01/resource-tags/")), undefined);
    assert.equal(matchPath(template, split("/2015-02-01/resource-tags/a/b")), undefined);
  });

  it("treats a trailing slash as insignificant", () => {
    const template = parsePathTemplate("/2015-02-01/tags/{FileSystemId}/");
    assert.deepEqual(matchPath(template, split("/2015-02-01/tags/fs-1/")), { FileSystemId: "fs-1" });
    assert.deepEqual(matchPath(template, split("/2015-02-01/tags/fs-1")), { FileSystemId: "fs-1" });
  });
});

function service(): AwsService {
  return {
    name: "test",
    pathPrefix: "/v1/",
    restJson: [
      { name: "GetLiteral", method: "GET", path: "/v1/things/special", handle: () => ({ status: 200, body: { which: "literal" } }) },
      { name: "GetThing", method: "GET", path: "/v1/things/{Id}", handle: (request) => ({ status: 200, body: { which: "label", id: request.params.Id, query: request.query.getAll("k") } }) },
      { name: "PutThing", method: "PUT", path: "/v1/things/{Id}", handle: (request) => ({ status: 200, body: request.body }) },
      {
        name: "Fail",
        method: "POST",
        path: "/v1/fail/{How}",
        handle: (request) => {
          if (request.params.How === "invalid") throw invalid("Cannot fail: asked to", { code: "Nope", details: { Extra: 1 } });
          throw new TypeError("a bug");
        },
      },
    ],
    json: { targetPrefix: "Test_20240101", operations: { Echo: (request) => ({ status: 200, body: request.body }) } },
    classify: (error: MoorError) => ({ status: error.code === "Nope" ? 418 : 500, code: error.code ?? "InternalFailure" }),
    errorBody: (code, message, details) => ({ code, msg: message, ...details }),
  };
}

describe("AwsServer", () => {
  it("routes by method and path (literals first), by X-Amz-Target, and renders errors in the service's form", async () => {
    const server = new AwsServer({ host: "127.0.0.1", port: 0, services: [service()] });
    await server.start();
    const base = `http://127.0.0.1:${server.port}`;
    const call = async (method: string, path: string, init: RequestInit = {}) => {
      const response = await fetch(`${base}${path}`, { method, ...init });
      return { status: response.status, type: response.headers.get("x-amzn-errortype"), body: await response.json() };
    };
    try {
      assert.deepEqual((await call("GET", "/v1/things/special")).body, { which: "literal" });
      assert.deepEqual((await call("GET", "/v1/things/a%2Fb?k=1&k=2")).body, { which: "label", id: "a/b", query: ["1", "2"] });
      assert.deepEqual((await call("PUT", "/v1/things/x", { body: '{"a":[1]}' })).body, { a: [1] });
      assert.deepEqual(await call("POST", "/v1/fail/invalid"), { status: 418, type: "Nope", body: { code: "Nope", msg: "Cannot fail: asked to", Extra: 1 } });
      const bug = await call("POST", "/v1/fail/bug");
      assert.deepEqual([bug.status, bug.type], [500, "InternalServerError"]);
      const wrongMethod = await call("DELETE", "/v1/things/x");
      assert.deepEqual([wrongMethod.status, wrongMethod.type], [404, "UnknownOperationException"]);
      assert.match(wrongMethod.body.msg, /GetThing is GET/);
      const badJson = await call("PUT", "/v1/things/x", { body: "{" });
      assert.deepEqual([badJson.status, badJson.type], [400, "BadRequest"]);
      const echo = await call("POST", "/", { headers: { "X-Amz-Target": "Test_20240101.Echo", "Content-Type": "application/x-amz-json-1.1" }, body: '{"b":2}' });
      assert.deepEqual(echo.body, { b: 2 });
      const unknownTarget = await call("POST", "/", { headers: { "X-Amz-Target": "Test_20240101.Nothing" }, body: "{}" });
      assert.deepEqual([unknownTarget.status, unknownTarget.type], [400, "UnknownOperationException"]);
    } finally {
      await server.stop();
    }
  });

  it("refuses a body over bodyBytesMax with 400 BadRequest in the routed service's shape, and bytes that are not HTTP in EFS's", async () => {
    const server = new AwsServer({ host: "127.0.0.1", port: 0, services: [service()] });
    await server.start();
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/v1/things/x`, { method: "PUT", body: "x".repeat(bodyBytesMax + 1) });
      assert.deepEqual([response.status, response.headers.get("x-amzn-errortype")], [400, "BadRequest"]);
      assert.match(response.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
      assert.deepEqual(await response.json(), { code: "BadRequest", msg: `Cannot read request: the body is larger than ${bodyBytesMax} bytes` });
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, "127.0.0.1", () => socket.write("GARBAGE\r\n\r\n"));
        const chunks: Buffer[] = [];
        socket.on("data", (chunk) => chunks.push(chunk));
        socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        socket.on("error", reject);
      });
      const body = JSON.stringify({ ErrorCode: "BadRequest", Message: "Cannot read request: it is not valid HTTP (HPE_INVALID_METHOD)" });
      assert.equal(text, `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nx-amzn-ErrorType: BadRequest\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    } finally {
      await server.stop();
    }
  });
});
