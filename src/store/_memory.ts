// The in-memory twin of the SQLite store, for unit tests. Same rules (StoreEngine), rows in maps.

import type { ListOptions, ObjectKey, Store, StoredObject } from "./mod.js";
import { type ChangeRow, type EngineOptions, type StoreBackend, StoreEngine } from "./_engine.js";
import { compareRows, rowKey } from "./_rows.js";

class MemoryBackend implements StoreBackend {
  #revision = 0;
  #objects = new Map<string, StoredObject>();
  #changes: ChangeRow[] = [];
  #snapshot: { revision: number; objects: Map<string, StoredObject>; changes: ChangeRow[] } | undefined;

  readRevision(): number {
    return this.#revision;
  }
  writeRevision(revision: number): void {
    this.#revision = revision;
  }
  read(key: ObjectKey): StoredObject | undefined {
    const found = this.#objects.get(rowKey(key));
    return found && structuredClone(found);
  }
  list(kind: string, options: ListOptions): StoredObject[] {
    const rows = [...this.#objects.values()]
      .filter((object) => object.kind === kind)
      .filter((object) => !options.namespace || (object.metadata.namespace ?? "") === options.namespace)
      .filter((object) => options.afterName === undefined || compareRows(object, options.afterNamespace ?? "", options.afterName) > 0)
      .sort((a, b) => compareRows(a, b.metadata.namespace ?? "", b.metadata.name));
    return structuredClone(options.limit ? rows.slice(0, options.limit) : rows);
  }
  write(object: StoredObject): void {
    this.#objects.set(rowKey({ kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name }), structuredClone(object));
  }
  remove(key: ObjectKey): void {
    this.#objects.delete(rowKey(key));
  }
  appendChange(change: ChangeRow): void {
    this.#changes.push(structuredClone(change));
  }
  changesAfter(revision: number, kind?: string): ChangeRow[] {
    return structuredClone(this.#changes.filter((change) => change.revision > revision && (!kind || change.object.kind === kind)));
  }
  oldestChange(): number {
    return this.#changes[0]?.revision ?? this.#revision + 1;
  }
  pruneChangesBefore(revision: number): void {
    this.#changes = this.#changes.filter((change) => change.revision >= revision);
  }
  transaction<T>(fn: () => T): T {
    this.#snapshot = { revision: this.#revision, objects: new Map(this.#objects), changes: [...this.#changes] };
    try {
      return fn();
    } catch (error) {
      this.#revision = this.#snapshot.revision;
      this.#objects = this.#snapshot.objects;
      this.#changes = this.#snapshot.changes;
      throw error;
    } finally {
      this.#snapshot = undefined;
    }
  }
  close(): void {}
}

export function createMemoryStore(options: EngineOptions = {}): Store {
  return new StoreEngine(new MemoryBackend(), options);
}
