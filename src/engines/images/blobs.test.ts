// The registry's blob store: uploads in chunks end as one blob under their digest, a wrong
// digest drops the upload, and the same bytes are stored once.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, it } from "node:test";
import { isMoorError } from "../../errors/mod.js";
import { BlobStore } from "./mod.js";

const root = mkdtempSync(join(tmpdir(), "moor-blobs-"));
after(() => rmSync(root, { recursive: true, force: true }));
const digestOf = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

it("an upload sent in chunks becomes the blob of its digest", async () => {
  const blobs = new BlobStore(join(root, "a"));
  const id = blobs.startUpload();
  assert.equal(await blobs.append(id, Readable.from([Buffer.from("hello ")])), 6);
  assert.equal(await blobs.append(id, Readable.from([Buffer.from("world")])), 11);
  await blobs.finish(id, digestOf("hello world"));
  assert.equal(blobs.size(digestOf("hello world")), 11);
  assert.equal(blobs.readBytes(digestOf("hello world")).toString(), "hello world");
  assert.equal(blobs.uploadSize(id), undefined);
});

it("an upload whose content does not match the digest it claims is refused and dropped", async () => {
  const blobs = new BlobStore(join(root, "b"));
  const id = blobs.startUpload();
  await blobs.append(id, Readable.from([Buffer.from("something")]));
  await assert.rejects(blobs.finish(id, digestOf("else")), (error) => isMoorError(error) && error.code === "DIGEST_INVALID");
  assert.equal(blobs.size(digestOf("else")), undefined);
  assert.deepEqual(readdirSync(join(root, "b", "uploads")), []);
});

it("the same bytes written twice are one file", () => {
  const blobs = new BlobStore(join(root, "c"));
  assert.equal(blobs.writeBytes(Buffer.from("{}")), digestOf("{}"));
  assert.equal(blobs.writeBytes(Buffer.from("{}")), digestOf("{}"));
  assert.equal(readdirSync(join(root, "c", "blobs", "sha256")).length, 1);
});
