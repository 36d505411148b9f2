// The store: every resource as an object (apiVersion, kind, metadata, spec, status). Each write
// gets a global, monotonic revision (the object's resourceVersion); updates are optimistic (a
// stale revision is a conflict); watches resume from a revision within a bounded history.
//
// The store is synchronous: the embedded backend (SQLite through better-sqlite3) answers in
// microseconds, and a synchronous port keeps read-modify-write sequences free of interleaving.
// Implementations: `openSqliteStore` (the product) and `createMemoryStore` (the in-memory twin
// for unit tests). `store.contract.ts` is the one suite both must pass.

import type { StoredObject } from "../domain/objects/mod.js";

export type { ObjectKey, ObjectMeta, OwnerReference, StoredObject } from "../domain/objects/mod.js";
export { describeKey, keyOf } from "../domain/objects/mod.js";
import type { ObjectKey } from "../domain/objects/mod.js";

export interface ListOptions {
  namespace?: string;
  /** Return only objects whose name sorts after this one (paging). */
  afterName?: string;
  afterNamespace?: string;
  limit?: number;
}

export interface ListResult {
  items: StoredObject[];
  /** The store's revision when the list was taken: a watch from it misses nothing. */
  revision: number;
}

export interface WriteOptions {
  /** The revision the caller last read; a different current revision is a Conflict. */
  expectedRevision?: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  type: WatchEventType;
  object: StoredObject;
  revision: number;
}

export interface WatchOptions {
  kind?: string;
  namespace?: string;
  /** Deliver every change after this revision (0: from now on). Past the history: Expired. */
  fromRevision?: number;
}

export interface Store {
  revision(): number;
  get(key: ObjectKey): StoredObject | undefined;
  list(kind: string, options?: ListOptions): ListResult;
  /** Stamps uid, creationTimestamp and resourceVersion. AlreadyExists when present. */
  create(object: StoredObject): StoredObject;
  /** Replaces the object. NotFound when absent, Conflict on a stale expected revision. */
  update(object: StoredObject, options?: WriteOptions): StoredObject;
  /** Removes the object and returns it as last stored, with the deletion's revision. */
  delete(key: ObjectKey, options?: WriteOptions): StoredObject;
  /** Runs fn atomically: all of its writes land, or none do. */
  transaction<T>(fn: () => T): T;
  /** Calls listener for each change after fromRevision, in order; returns the unsubscribe. */
  watch(options: WatchOptions, listener: (event: WatchEvent) => void): () => void;
  /** Oldest revision still kept in the watch history. */
  oldestRevision(): number;
  close(): void;
}

export const watchHistoryMax = 10_000;


export { createMemoryStore } from "./_memory.js";
export { openSqliteStore } from "./_sqlite.js";
