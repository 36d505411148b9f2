import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { optionsOf, sameMount } from "./_records.js";

const request = {
  type: "mount" as const,
  id: 7,
  source: "/data/fs-1/app",
  within: "/data/fs-1",
  mountPoint: "/mounts/pods/uid/data",
  identity: { uid: 1000, gid: 1000, secondaryGids: [5] },
  readOnly: false,
  squashRoot: true,
  entryTimeoutMs: 5000,
  attrTimeoutMs: 5000,
};

describe("a mount a daemon serves, matched against a new request", () => {
  it("matches a request for the same directory at the same place under the same rules", () => {
    const reported = optionsOf(request);
    assert.equal(sameMount(reported, { source: request.source, within: request.within, mountPoint: request.mountPoint, identity: { uid: 1000, gid: 1000, secondaryGids: [5] }, readOnly: false, squashRoot: true, onBytesWritten: () => undefined }), true);
  });

  it("treats an absent read-only or squash flag as false, as the daemon does", () => {
    const reported = optionsOf({ ...request, readOnly: undefined, squashRoot: undefined, identity: undefined, within: undefined });
    assert.equal(sameMount(reported, { source: request.source, mountPoint: request.mountPoint }), true);
  });

  it("does not match when the identity, the access mode, the root squash or the directory changed", () => {
    const reported = optionsOf(request);
    const base = optionsOf(request);
    assert.equal(sameMount(reported, { ...base, identity: { uid: 1001, gid: 1000, secondaryGids: [5] } }), false);
    assert.equal(sameMount(reported, { ...base, readOnly: true }), false);
    assert.equal(sameMount(reported, { ...base, squashRoot: false }), false);
    assert.equal(sameMount(reported, { ...base, source: "/data/fs-1/other" }), false);
    assert.equal(sameMount(reported, { ...base, mountPoint: "/mounts/pods/uid/other" }), false);
  });
});
