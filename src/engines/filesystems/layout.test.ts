// The backing-store layout: where a file system's data and an access point's directory live.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accessPointDirectory, fileSystemDirectory, pathInFileSystem } from "./mod.js";

const fsId = "fs-0123456789abcdef0";

describe("the backing-store layout", () => {
  it("fileSystemDirectory() is <backingRoot>/<fs-id> and refuses anything but a file system id", () => {
    assert.equal(fileSystemDirectory("/backing", fsId), `/backing/${fsId}`);
    for (const bad of ["fs-1/../../etc", "..", "fsap-0123456789abcdef0", ""]) assert.throws(() => fileSystemDirectory("/backing", bad), /it is not a file system id/);
  });

  it("accessPointDirectory() is the root path under the file system, never its root or outside it", () => {
    assert.equal(accessPointDirectory("/backing", fsId, "/dynamic/pvc-1"), `/backing/${fsId}/dynamic/pvc-1`);
    assert.equal(accessPointDirectory("/backing", fsId, "/"), undefined);
    assert.equal(accessPointDirectory("/backing", fsId, "/a/../.."), undefined);
    assert.equal(accessPointDirectory("/backing", fsId, "/../fs-0123456789abcdef1"), undefined);
  });

  it("pathInFileSystem() keeps the file system's root for \"/\" (a mount of the whole file system)", () => {
    assert.equal(pathInFileSystem(`/backing/${fsId}`, "/"), `/backing/${fsId}/`);
    assert.equal(pathInFileSystem(`/backing/${fsId}`, "/data"), `/backing/${fsId}/data`);
  });
});
