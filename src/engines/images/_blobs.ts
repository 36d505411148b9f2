// The registry's blob store: content-addressed files (blobs/sha256/<hex>), one copy per digest
// whatever the number of repositories that refer to it, and uploads in progress (uploads/<id>),
// hashed as their bytes arrive so finishing one is a rename, not a second read.

import { createHash, randomUUID, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type ReadStream } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalid, notFound, quote } from "../../errors/mod.js";

const digestPattern = /^sha256:[a-f0-9]{64}$/;
/** Uploads kept in memory with their running hash; past this, the oldest are forgotten. */
const uploadsMax = 256;

export class BlobStore {
  readonly root: string;
  readonly #hashes = new Map<string, Hash>();

  constructor(root: string) {
    this.root = root;
    for (const folder of ["blobs/sha256", "uploads"]) mkdirSync(join(root, folder), { recursive: true });
  }

  /** The blob's size, or undefined when the store does not have it. */
  size(digest: string): number | undefined {
    if (!digestPattern.test(digest)) return undefined;
    try {
      return statSync(this.#blobPath(digest)).size;
    } catch {
      return undefined;
    }
  }

  read(digest: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.#blobPath(digest), range);
  }

  readBytes(digest: string): Buffer {
    return readFileSync(this.#blobPath(digest));
  }

  /** Stores bytes whose digest the caller computed (manifests). */
  writeBytes(bytes: Buffer): string {
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (this.size(digest) === undefined) {
      const temporary = join(this.root, "uploads", `${randomUUID()}.bytes`);
      writeFileSync(temporary, bytes);
      renameSync(temporary, this.#blobPath(digest));
    }
    return digest;
  }

  startUpload(): string {
    const id = randomUUID();
    writeFileSync(this.#uploadPath(id), "");
    this.#hashes.set(id, createHash("sha256"));
    while (this.#hashes.size > uploadsMax) this.#hashes.delete(this.#hashes.keys().next().value!);
    return id;
  }

  /** Bytes received so far, or undefined for an unknown upload. */
  uploadSize(id: string): number | undefined {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    try {
      return statSync(this.#uploadPath(id)).size;
    } catch {
      return undefined;
    }
  }

  /** Appends a request body to an upload; returns the upload's new size. */
  async append(id: string, body: Readable): Promise<number> {
    const hash = this.#hashes.get(id);
    // Without the running hash (Moor restarted mid-upload), finish() reads the file again.
    if (hash) body.on("data", (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(this.#uploadPath(id), { flags: "a" }));
    return statSync(this.#uploadPath(id)).size;
  }

  /** Ends an upload as the blob `digest`; a different content is refused and the upload dropped. */
  async finish(id: string, digest: string): Promise<void> {
    if (!digestPattern.test(digest)) throw invalid(`Cannot finish upload: digest ${quote(digest)} is not sha256:<64 hex digits>`, { code: "DIGEST_INVALID" });
    const hash = this.#hashes.get(id) ?? (await rehash(this.#uploadPath(id)));
    this.#hashes.delete(id);
    const actual = `sha256:${hash.digest("hex")}`;
    if (actual !== digest) {
      this.cancel(id);
      throw invalid(`Cannot finish upload: its content has digest ${quote(actual)}, not ${quote(digest)}`, { code: "DIGEST_INVALID" });
    }
    renameSync(this.#uploadPath(id), this.#blobPath(digest));
  }

  cancel(id: string): void {
    this.#hashes.delete(id);
    rmSync(this.#uploadPath(id), { force: true });
  }

  #blobPath(digest: string): string {
    if (!digestPattern.test(digest)) throw notFound(`Cannot find blob ${quote(digest)}: not a sha256 digest`, { code: "BLOB_UNKNOWN" });
    return join(this.root, "blobs", "sha256", digest.slice(7));
  }

  #uploadPath(id: string): string {
    return join(this.root, "uploads", id);
  }
}

async function rehash(path: string): Promise<Hash> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}
