// Loads @kubernetes/client-node on Node 20. Its HTTP client (undici 8, made for Node 22) binds
// two things Node 20 lacks when it loads: zlib's zstd decompressor (Moor never sends zstd, so a
// stand-in that refuses will do) and worker_threads.markAsUncloneable (nothing crosses threads);
// the generated API calls Promise.withResolvers.

import workerThreads from "node:worker_threads";
import zlib from "node:zlib";

if (!("createZstdDecompress" in zlib)) {
  Object.assign(zlib, {
    createZstdDecompress: () => {
      throw new Error("Cannot decompress zstd: this Node has no zstd support");
    },
  });
}

// Node 22 marks some objects as not cloneable between threads; nothing here crosses threads.
if (!("markAsUncloneable" in workerThreads)) Object.assign(workerThreads, { markAsUncloneable: () => {} });

// Promise.withResolvers (ES2024) arrived in Node 22; the generated client calls it per request.
if (!("withResolvers" in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  });
}

export const k8s = await import("@kubernetes/client-node");
