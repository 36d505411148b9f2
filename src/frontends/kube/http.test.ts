import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { notFound } from "../../errors/mod.js";
import { RequestError } from "../http/mod.js";
import { bodyBytesMax, statusRenderer } from "./_http.js";
import { HttpError } from "./_status.js";

const rendered = (error: unknown) => {
  const answer = statusRenderer.render(error);
  return answer && { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body) };
};

describe("statusRenderer", () => {
  it("words the core's request errors as upstream's Status: 413 RequestEntityTooLarge and the json parse error", () => {
    const tooLarge = rendered(new RequestError("BodyTooLarge", "too large", { limitBytes: bodyBytesMax }));
    assert.deepEqual([tooLarge?.status, tooLarge?.body.reason, tooLarge?.body.message], [413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"]);
    const malformed = rendered(new RequestError("MalformedJson", "not JSON", { detail: "Unexpected end of JSON input" }));
    assert.deepEqual(malformed?.body, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "couldn't get version/kind; json parse error: Unexpected end of JSON input",
      reason: "BadRequest",
      code: 400,
    });
  });

  it("renders HttpError with its headers and MoorError by category, and leaves anything else to the internal error", () => {
    const busy = rendered(new HttpError(429, "TooManyRequests", "Cannot open another watch", undefined, { "Retry-After": "1" }));
    assert.deepEqual([busy?.status, busy?.headers["Retry-After"], busy?.body.reason], [429, "1", "TooManyRequests"]);
    assert.equal(rendered(notFound("Cannot find it"))?.status, 404);
    assert.equal(rendered(new TypeError("a bug")), undefined);
    const internal = statusRenderer.internal();
    assert.deepEqual([internal.status, JSON.parse(internal.body).reason], [500, "InternalError"]);
  });
});
