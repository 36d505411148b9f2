// The store's rules, shared by every backend: revisions, optimistic concurrency, stamping,
// bounded change history and watch fan-out. A backend only keeps rows.

import { randomUUID } from "node:crypto";
import { alreadyExists, conflict, expired, notFound } from "../errors/mod.js";
import type {
  ListOptions,
  ListResult,
  ObjectKey,
  Store,
  StoredObject,
  WatchEvent,
  WatchEventType,
  WatchOptions,
  WriteOptions,
} from "./mod.js";
import { describeKey, keyOf } from "../domain/objects/mod.js";
import { watchHistoryMax } from "./mod.js";

export interface ChangeRow {
  revision: number;
  type: WatchEventType;
  object: StoredObject;
}

/** Row storage behind the store. Every call happens inside `transaction` when it writes. */
export interface StoreBackend {
  readRevision(): number;
  writeRevision(revision: number): void;
  read(key: ObjectKey): StoredObject | undefined;
  list(kind: string, options: ListOptions): StoredObject[];
  write(object: StoredObject): void;
  remove(key: ObjectKey): void;
  appendChange(change: ChangeRow): void;
  changesAfter(revision: number, kind?: string): ChangeRow[];
  oldestChange(): number;
  pruneChangesBefore(revision: number): void;
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface EngineOptions {
  now?: () => Date;
  historyMax?: number;
}

interface Watcher {
  options: WatchOptions;
  listener: (event: WatchEvent) => void;
}

export class StoreEngine implements Store {
  readonly #backend: StoreBackend;
  readonly #now: () => Date;
  readonly #historyMax: number;
  readonly #watchers = new Set<Watcher>();
  #pending: WatchEvent[] = [];
  #depth = 0;

  constructor(backend: StoreBackend, options: EngineOptions = {}) {
    this.#backend = backend;
    this.#now = options.now ?? (() => new Date());
    this.#historyMax = options.historyMax ?? watchHistoryMax;
  }

  revision(): number {
    return this.#backend.readRevision();
  }

  oldestRevision(): number {
    return this.#backend.oldestChange();
  }

  get(key: ObjectKey): StoredObject | undefined {
    return this.#backend.read(normalize(key));
  }

  list(kind: string, options: ListOptions = {}): ListResult {
    return this.transaction(() => ({
      items: this.#backend.list(kind, options),
      revision: this.#backend.readRevision(),
    }));
  }

  create(object: StoredObject): StoredObject {
    return this.transaction(() => {
      const key = keyOf(object);
      if (this.#backend.read(key)) throw alreadyExists(`Cannot create ${describeKey(key)}: it already exists`, { subject: { kind: key.kind, name: key.name } });
      const metadata = { ...object.metadata, namespace: key.namespace || undefined };
      metadata.uid ??= randomUUID();
      metadata.creationTimestamp ??= this.#now().toISOString().replace(/\.\d{3}Z$/, "Z");
      return this.#commit("ADDED", { ...object, metadata });
    });
  }

  update(object: StoredObject, options: WriteOptions = {}): StoredObject {
    return this.transaction(() => {
      const key = keyOf(object);
      const current = this.#backend.read(key);
      if (!current) throw notFound(`Cannot update ${describeKey(key)}: it does not exist`, { subject: { kind: key.kind, name: key.name } });
      checkRevision("update", key, current, options);
      const metadata = {
        ...object.metadata,
        namespace: key.namespace || undefined,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
      };
      return this.#commit("MODIFIED", { ...object, metadata });
    });
  }

  delete(key: ObjectKey, options: WriteOptions = {}): StoredObject {
    return this.transaction(() => {
      const normalized = normalize(key);
      const current = this.#backend.read(normalized);
      if (!current) throw notFound(`Cannot delete ${describeKey(normalized)}: it does not exist`, { subject: { kind: key.kind, name: key.name } });
      checkRevision("delete", normalized, current, options);
      this.#backend.remove(normalized);
      const revision = this.#nextRevision();
      const object = withRevision(current, revision);
      this.#record({ type: "DELETED", object, revision });
      return object;
    });
  }

  transaction<T>(fn: () => T): T {
    this.#depth++;
    let result: T;
    try {
      result = this.#depth === 1 ? this.#backend.transaction(fn) : fn();
    } catch (error) {
      this.#depth--;
      if (this.#depth === 0) this.#pending = [];
      throw error;
    }
    this.#depth--;
    if (this.#depth === 0) this.#flush();
    return result;
  }

  watch(options: WatchOptions, listener: (event: WatchEvent) => void): () => void {
    const watcher: Watcher = { options, listener };
    const from = options.fromRevision ?? 0;
    if (from > 0) {
      const oldest = this.#backend.oldestChange();
      if (from < oldest - 1) throw expired(`Cannot watch from revision ${from}: the oldest kept revision is ${oldest}`);
      for (const change of this.#backend.changesAfter(from, options.kind)) {
        if (matches(options, change.object)) listener({ type: change.type, object: change.object, revision: change.revision });
      }
    }
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  close(): void {
    this.#watchers.clear();
    this.#backend.close();
  }

  #commit(type: WatchEventType, object: StoredObject): StoredObject {
    const revision = this.#nextRevision();
    const stored = withRevision(object, revision);
    this.#backend.write(stored);
    this.#record({ type, object: stored, revision });
    return stored;
  }

  #nextRevision(): number {
    const revision = this.#backend.readRevision() + 1;
    this.#backend.writeRevision(revision);
    return revision;
  }

  #record(event: WatchEvent): void {
    this.#backend.appendChange(event);
    if (event.revision % 256 === 0) this.#backend.pruneChangesBefore(event.revision - this.#historyMax);
    this.#pending.push(event);
  }

  #flush(): void {
    const events = this.#pending;
    this.#pending = [];
    for (const event of events) {
      for (const watcher of this.#watchers) {
        if (!matches(watcher.options, event.object)) continue;
        try {
          watcher.listener(event);
        } catch (error) {
          console.error("moor: a store watcher failed:", error);
        }
      }
    }
  }
}

function normalize(key: ObjectKey): ObjectKey {
  return { kind: key.kind, namespace: key.namespace ?? "", name: key.name };
}

function withRevision(object: StoredObject, revision: number): StoredObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}

function checkRevision(action: string, key: ObjectKey, current: StoredObject, options: WriteOptions): void {
  if (options.expectedRevision === undefined || options.expectedRevision === "") return;
  if (options.expectedRevision === current.metadata.resourceVersion) return;
  throw conflict(
    `Cannot ${action} ${describeKey(key)}: the object has been modified; please apply your changes to the latest version and try again`,
    { subject: { kind: key.kind, name: key.name } },
  );
}

function matches(options: WatchOptions, object: StoredObject): boolean {
  if (options.kind && options.kind !== object.kind) return false;
  if (options.namespace && options.namespace !== (object.metadata.namespace ?? "")) return false;
  return true;
}
