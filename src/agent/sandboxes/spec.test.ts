import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { capabilities, defaultCapabilities, processArgs } from "./_spec.js";
import { normalizeReference, familiarReference } from "../../engines/images/mod.js";

describe("processArgs()", () => {
  it("lets command replace the entrypoint and args replace the image's cmd, as Kubernetes does", () => {
    const image = { Entrypoint: ["/entry"], Cmd: ["default"] };
    assert.deepEqual(processArgs({ name: "c" }, image), ["/entry", "default"]);
    assert.deepEqual(processArgs({ name: "c", args: ["x"] }, image), ["/entry", "x"]);
    assert.deepEqual(processArgs({ name: "c", command: ["/bin/sh"] }, image), ["/bin/sh"]);
    assert.throws(() => processArgs({ name: "c" }, {}), /Cannot start container "c": neither it nor its image names a command/);
  });
});

describe("capabilities()", () => {
  it("gives the runtime's default set, drops on request, and refuses privileged or extra capabilities", () => {
    assert.deepEqual(capabilities({ name: "c" }), defaultCapabilities);
    assert.ok(!capabilities({ name: "c", securityContext: { capabilities: { drop: ["NET_RAW"] } } }).includes("CAP_NET_RAW"));
    assert.deepEqual(capabilities({ name: "c", securityContext: { capabilities: { drop: ["ALL"] } } }), []);
    assert.throws(() => capabilities({ name: "c", securityContext: { privileged: true } }), /privileged containers are not supported on Fargate/);
    assert.throws(() => capabilities({ name: "c", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }), /capabilities CAP_SYS_ADMIN are not supported on Fargate/);
  });
});

describe("image references", () => {
  it("normalizes short names as Docker does and shows them back familiarly", () => {
    assert.equal(normalizeReference("busybox"), "docker.io/library/busybox:latest");
    assert.equal(normalizeReference("127.0.0.1:5000/team/app:v1"), "127.0.0.1:5000/team/app:v1");
    assert.equal(normalizeReference("localhost/app"), "localhost/app:latest");
    assert.equal(familiarReference("docker.io/library/busybox:latest"), "busybox:latest");
  });
});
