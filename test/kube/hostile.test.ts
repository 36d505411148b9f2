// Hostile input: malformed bodies, unknown kinds, oversized bodies, bad selectors, bad names,
// wrong types, unknown fields, missing tokens. Each gets a Status with upstream's code and
// reason, and the server keeps serving.

import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import type { MoorUnderTest } from "../harness.js";
import { kubectl } from "../kubectl.js";
import { apiAccess, startKubeMoor } from "./_kube.js";

interface Reply {
  code: number;
  body: any;
}

describe("hostile input to the Kubernetes API", () => {
  let moor: MoorUnderTest;
  let send: (method: string, path: string, body?: string | Buffer, headers?: Record<string, string>) => Promise<Reply>;
  before(async () => {
    moor = await startKubeMoor();
    const access = apiAccess(moor);
    send = (method, path, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const url = new URL(path, access.server);
        const req = request(
          url,
          {
            method,
            ca: access.ca,
            // Node sends DELETE bodies without a length unless told; kubectl always sends one.
            headers: { Authorization: `Bearer ${access.token}`, "Content-Type": "application/json", ...(body ? { "Content-Length": String(Buffer.byteLength(body)) } : {}), ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk) => chunks.push(chunk));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              let parsed: unknown = text;
              try {
                parsed = JSON.parse(text);
              } catch {
                // Plain text (health) stays text.
              }
              resolve({ code: res.statusCode ?? 0, body: parsed });
            });
          },
        );
        req.on("error", reject);
        req.end(body);
      });
  });
  after(async () => {
    await moor?.dispose();
  });

  const expectStatus = (reply: Reply, code: number, reason: string, message?: RegExp) => {
    assert.equal(reply.code, code, JSON.stringify(reply.body));
    assert.equal(reply.body.kind, "Status");
    assert.equal(reply.body.status, "Failure");
    assert.equal(reply.body.reason, reason);
    assert.equal(reply.body.code, code);
    if (message) assert.match(reply.body.message, message);
  };

  it("refuses requests without the bearer token (or with a wrong one) with 401", async () => {
    expectStatus(await send("GET", "/api/v1/pods", undefined, { Authorization: "" }), 401, "Unauthorized");
    expectStatus(await send("GET", "/api/v1/pods", undefined, { Authorization: "Bearer wrong" }), 401, "Unauthorized");
    assert.equal((await send("GET", "/healthz", undefined, { Authorization: "" })).code, 200);
  });

  it("answers malformed JSON and YAML bodies with 400 BadRequest", async () => {
    expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", "{not json"), 400, "BadRequest", /json parse error/);
    expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", "a: [unclosed", { "Content-Type": "application/yaml" }), 400, "BadRequest");
    expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", "[1,2]"), 400, "BadRequest");
    expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", Buffer.from([0x6b, 0x38, 0x73, 0, 0xff, 0xff]), { "Content-Type": "application/vnd.kubernetes.protobuf" }), 400, "BadRequest");
  });

  it("answers unknown kinds and paths with 404, and a body of the wrong kind with 400", async () => {
    expectStatus(await send("GET", "/api/v1/widgets"), 404, "NotFound");
    expectStatus(await send("GET", "/apis/example.com/v1/widgets"), 404, "NotFound");
    expectStatus(await send("GET", "/api/v1/namespaces/default/pods/x/nonsense"), 404, "NotFound");
    const wrongKind = JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } });
    expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", wrongKind), 400, "BadRequest", /must be of type ConfigMap/);
  });

  it("answers an oversized body with 413", async () => {
    const huge = JSON.stringify({ metadata: { name: "huge" }, data: { blob: "x".repeat(4 * 1024 * 1024) } });
    expectStatus(await send("POST", "/api/v1/namespaces/default/configmaps", huge), 413, "RequestEntityTooLarge");
  });

  it("answers bad label and field selectors with 400", async () => {
    expectStatus(await send("GET", `/api/v1/pods?labelSelector=${encodeURIComponent("app in (")}`), 400, "BadRequest");
    expectStatus(await send("GET", `/api/v1/pods?labelSelector=${encodeURIComponent("a=b=c")}`), 400, "BadRequest");
    expectStatus(await send("GET", `/api/v1/pods?fieldSelector=${encodeURIComponent("spec.foo=bar")}`), 400, "BadRequest", /field label not supported: spec\.foo/);
    expectStatus(await send("GET", `/api/v1/pods?fieldSelector=${encodeURIComponent("nonsense")}`), 400, "BadRequest");
    expectStatus(await send("GET", "/api/v1/pods?continue=garbage"), 400, "BadRequest");
  });

  it("answers names that are not DNS labels or subdomains with 422 Invalid and upstream's message", async () => {
    const namespace = await send("POST", "/api/v1/namespaces", JSON.stringify({ metadata: { name: "Bad_Name" } }));
    expectStatus(namespace, 422, "Invalid", /^Namespace "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of/);
    assert.equal(namespace.body.details.causes[0].field, "metadata.name");
    const result = await kubectl(moor, ["create", "configmap", "Upper.Case"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ConfigMap "Upper\.Case" is invalid: metadata\.name: Invalid value: "Upper\.Case"/);
  });

  it("answers wrong value types with 400 and unknown fields with 400 under fieldValidation=Strict", async () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "typed" },
      spec: { replicas: "three", selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } } },
    };
    expectStatus(await send("POST", "/apis/apps/v1/namespaces/default/deployments", JSON.stringify(deployment)), 400, "BadRequest", /cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32/);
    const unknown = { ...deployment, spec: { ...deployment.spec, replicas: 1, bogus: true } };
    expectStatus(
      await send("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict", JSON.stringify(unknown)),
      400,
      "BadRequest",
      /strict decoding error: unknown field "spec\.bogus"/,
    );
    const negative = { ...deployment, spec: { ...deployment.spec, replicas: -1 } };
    expectStatus(await send("POST", "/apis/apps/v1/namespaces/default/deployments", JSON.stringify(negative)), 422, "Invalid", /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
  });

  it("answers unsupported patch types with 415 and a malformed JSON patch with 400", async () => {
    await send("POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ metadata: { name: "target" }, data: {} }));
    expectStatus(await send("PATCH", "/api/v1/namespaces/default/configmaps/target", "{}", { "Content-Type": "text/plain" }), 415, "UnsupportedMediaType");
    expectStatus(await send("PATCH", "/api/v1/namespaces/default/configmaps/target", "{\"op\":1}", { "Content-Type": "application/json-patch+json" }), 400, "BadRequest");
    expectStatus(await send("PATCH", "/api/v1/namespaces/default/configmaps/target", "[{\"op\":\"remove\",\"path\":\"/nope\"}]", { "Content-Type": "application/json-patch+json" }), 422, "Invalid");
    expectStatus(await send("DELETE", "/api/v1/namespaces/default/configmaps/target", "{broken"), 400, "BadRequest");
  });

  it("refuses to delete the default namespace with 403, as upstream's lifecycle admission does", async () => {
    expectStatus(await send("DELETE", "/api/v1/namespaces/default"), 403, "Forbidden", /this namespace may not be deleted/);
  });

  it("refuses exec without a WebSocket upgrade, and keeps serving after all of the above", async () => {
    expectStatus(await send("GET", "/api/v1/namespaces/default/pods/none/exec?command=sh"), 400, "BadRequest");
    const namespaces = await send("GET", "/api/v1/namespaces");
    assert.equal(namespaces.code, 200);
    assert.ok(namespaces.body.items.some((item: any) => item.metadata.name === "default"));
  });
});
