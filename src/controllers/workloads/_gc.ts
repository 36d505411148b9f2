// The garbage collector: dependents whose owners are all gone are deleted (background
// propagation); an owner being deleted in the foreground waits until its dependents are gone;
// an orphaning owner first lets its dependents go. An in-memory index from owner uid to
// dependents, built from a full scan and kept by the watch, avoids scanning on every deletion;
// the periodic resync re-checks every dependent, so nothing depends on having seen an event.

import { foregroundFinalizer, orphanFinalizer, resourceForKind, storedResourceTypes } from "../../domain/kube/mod.js";
import { keyOf, type ObjectMeta, type OwnerReference, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { type Sources, deleteWithRules, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

/** One key per object: an owner being deleted is checked as an owner, any other object as a dependent. */
const encode = (object: StoredObject) => objectKey(keyOf(object));

export function createGarbageCollector(store: Store, clock: Sources): Controller {
  return new GarbageCollector(store, clock);
}

class GarbageCollector implements Controller {
  readonly name = "garbage-collector";
  readonly kinds: readonly string[] = [];
  readonly #store: Store;
  readonly #clock: Sources;
  /** owner uid → dependents' keys. */
  readonly #dependents = new Map<string, Set<string>>();
  /** uid → key of owners waiting in the foreground for their dependents. */
  readonly #waiting = new Map<string, string>();
  #indexed = false;

  constructor(store: Store, clock: Sources) {
    this.#store = store;
    this.#clock = clock;
  }

  keysFor(event: WatchEvent): string[] {
    if (!this.#indexed) return [];
    const object = event.object;
    const uid = object.metadata.uid ?? "";
    this.#index(object, event.type !== "DELETED");
    const keys: string[] = [];
    const finalizers = object.metadata.finalizers ?? [];
    const propagating = event.type !== "DELETED" && object.metadata.deletionTimestamp && (finalizers.includes(foregroundFinalizer) || finalizers.includes(orphanFinalizer));
    if (propagating) {
      keys.push(encode(object));
      this.#waiting.set(uid, encode(object));
    } else this.#waiting.delete(uid);
    if (event.type === "DELETED" || object.metadata.deletionTimestamp) keys.push(...(this.#dependents.get(uid) ?? []));
    // A dependent of a foreground-deleting owner going away may let the owner finish.
    if (event.type === "DELETED") {
      for (const reference of object.metadata.ownerReferences ?? []) {
        const owner = this.#waiting.get(reference.uid);
        if (owner) keys.push(owner);
      }
    }
    return keys;
  }

  allKeys(): string[] {
    this.#fullScan();
    const keys: string[] = [];
    for (const set of this.#dependents.values()) keys.push(...set);
    for (const resource of storedResourceTypes()) {
      for (const object of this.#store.list(resource.kind).items) if (object.metadata.deletionTimestamp) keys.push(encode(object));
    }
    return [...new Set(keys)];
  }

  reconcile(key: string): number | void {
    const reference = splitKey(key);
    const object = this.#store.get(reference);
    if (!object) return;
    return object.metadata.deletionTimestamp ? this.#checkOwner(object) : this.#checkDependent(object);
  }

  #index(object: StoredObject, present: boolean): void {
    const key = encode(object);
    for (const reference of object.metadata.ownerReferences ?? []) {
      const set = this.#dependents.get(reference.uid) ?? new Set<string>();
      if (present) set.add(key);
      else set.delete(key);
      if (set.size > 0) this.#dependents.set(reference.uid, set);
      else this.#dependents.delete(reference.uid);
    }
  }

  #fullScan(): void {
    this.#dependents.clear();
    for (const resource of storedResourceTypes()) for (const object of this.#store.list(resource.kind).items) this.#index(object, true);
    this.#indexed = true;
  }

  #ownerAlive(dependent: StoredObject, reference: OwnerReference): StoredObject | undefined {
    const known = resourceForKind(reference.kind);
    // A kind the API does not serve (Moor's own) may be either scope: look in both.
    const scopes = known ? [known.namespaced ? (dependent.metadata.namespace ?? "") : ""] : [dependent.metadata.namespace ?? "", ""];
    for (const namespace of scopes) {
      const owner = this.#store.get({ kind: reference.kind, namespace, name: reference.name });
      if (owner && owner.metadata.uid === reference.uid) return owner;
    }
    return undefined;
  }

  /** A dependent: delete it when every owner is gone, drop references to the gone ones otherwise. */
  #checkDependent(dependent: StoredObject): void {
    const references = dependent.metadata.ownerReferences;
    if (!references?.length) return;
    const alive = references.filter((reference) => this.#ownerAlive(dependent, reference));
    if (alive.length === references.length) return;
    if (alive.length === 0) {
      deleteWithRules(this.#store, this.#clock, dependent, "Background");
      return;
    }
    writeIfChanged(this.#store, this.#clock, { ...dependent, metadata: { ...dependent.metadata, ownerReferences: alive } }, dependent);
  }

  /** An owner being deleted with a propagation finalizer. */
  #checkOwner(owner: StoredObject): number | void {
    const finalizers = owner.metadata.finalizers ?? [];
    const uid = owner.metadata.uid!;
    const known = [...(this.#dependents.get(uid) ?? [])].map(splitKey).map((item) => this.#store.get(item));
    const current = known.filter((item): item is StoredObject => Boolean(item) && (item!.metadata.ownerReferences ?? []).some((reference) => reference.uid === uid));
    if (finalizers.includes(orphanFinalizer)) {
      for (const dependent of current) {
        const references = (dependent.metadata.ownerReferences ?? []).filter((reference) => reference.uid !== uid);
        const metadata: ObjectMeta = { ...dependent.metadata, ownerReferences: references };
        if (references.length === 0) delete metadata.ownerReferences;
        writeIfChanged(this.#store, this.#clock, { ...dependent, metadata }, dependent);
      }
      return this.#dropFinalizer(owner, orphanFinalizer);
    }
    if (finalizers.includes(foregroundFinalizer)) {
      if (current.length === 0) return this.#dropFinalizer(owner, foregroundFinalizer);
      for (const dependent of current) if (!dependent.metadata.deletionTimestamp) deleteWithRules(this.#store, this.#clock, dependent, "Foreground");
      return 1000;
    }
  }

  #dropFinalizer(owner: StoredObject, finalizer: string): void {
    const finalizers = (owner.metadata.finalizers ?? []).filter((item) => item !== finalizer);
    const metadata: ObjectMeta = { ...owner.metadata, finalizers };
    if (finalizers.length === 0) delete metadata.finalizers;
    writeIfChanged(this.#store, this.#clock, { ...owner, metadata }, owner);
  }
}
