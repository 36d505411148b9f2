// The garbage collector: dependents whose owners are all gone are deleted (background
// propagation); an owner being deleted in the foreground waits until its dependents are gone;
// an orphaning owner first lets its dependents go. An in-memory index from owner uid to
// dependents, built from a full scan and kept by the watch, avoids scanning on every deletion;
// the periodic resync re-checks every dependent, so nothing depends on having seen an event.

import { foregroundFinalizer, orphanFinalizer, resourceForKind, storedResourceTypes } from "../../domain/kube/mod.js";
import { keyOf, type ObjectKey, type OwnerReference, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { type Sources, deleteWithRules, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

/** One key per object: an owner being deleted is checked as an owner, any other object as a dependent. */
const encode = (object: StoredObject) => objectKey(keyOf(object));

export function createGarbageCollector(store: Store, clock: Sources): Controller {
  /** owner uid → dependents' keys. */
  const dependents = new Map<string, Set<string>>();
  /** uid → key of owners waiting in the foreground for their dependents. */
  const waiting = new Map<string, string>();
  let indexed = false;

  const index = (object: StoredObject, present: boolean) => {
    const key = encode(object);
    for (const reference of object.metadata.ownerReferences ?? []) {
      const set = dependents.get(reference.uid) ?? new Set<string>();
      if (present) set.add(key);
      else set.delete(key);
      if (set.size > 0) dependents.set(reference.uid, set);
      else dependents.delete(reference.uid);
    }
  };
  const fullScan = () => {
    dependents.clear();
    for (const resource of storedResourceTypes()) for (const object of store.list(resource.kind).items) index(object, true);
    indexed = true;
  };

  const ownerAlive = (dependent: StoredObject, reference: OwnerReference): StoredObject | undefined => {
    const known = resourceForKind(reference.kind);
    // A kind the API does not serve (Moor's own) may be either scope: look in both.
    const scopes = known ? [known.namespaced ? (dependent.metadata.namespace ?? "") : ""] : [dependent.metadata.namespace ?? "", ""];
    for (const namespace of scopes) {
      const owner = store.get({ kind: reference.kind, namespace, name: reference.name });
      if (owner && owner.metadata.uid === reference.uid) return owner;
    }
    return undefined;
  };

  /** A dependent: delete it when every owner is gone, drop references to the gone ones otherwise. */
  const checkDependent = (key: ObjectKey) => {
    const dependent = store.get(key);
    if (!dependent || !dependent.metadata.ownerReferences?.length || dependent.metadata.deletionTimestamp) return;
    const references = dependent.metadata.ownerReferences;
    const alive = references.filter((reference) => ownerAlive(dependent, reference));
    if (alive.length === references.length) return;
    if (alive.length === 0) {
      deleteWithRules(store, clock, dependent, "Background");
      return;
    }
    writeIfChanged(store, clock, { ...dependent, metadata: { ...dependent.metadata, ownerReferences: alive } }, dependent);
  };

  /** An owner being deleted with a propagation finalizer. */
  const checkOwner = (key: ObjectKey): number | void => {
    const owner = store.get(key);
    if (!owner?.metadata.deletionTimestamp) return;
    const finalizers = owner.metadata.finalizers ?? [];
    const uid = owner.metadata.uid!;
    const mine = [...(dependents.get(uid) ?? [])].map(splitKey).map((item) => store.get(item)).filter((item): item is StoredObject => Boolean(item));
    const current = mine.filter((item) => (item.metadata.ownerReferences ?? []).some((reference) => reference.uid === uid));
    if (finalizers.includes(orphanFinalizer)) {
      for (const dependent of current) {
        const references = (dependent.metadata.ownerReferences ?? []).filter((reference) => reference.uid !== uid);
        const metadata: any = { ...dependent.metadata, ownerReferences: references };
        if (references.length === 0) delete metadata.ownerReferences;
        writeIfChanged(store, clock, { ...dependent, metadata }, dependent);
      }
      return dropFinalizer(owner, orphanFinalizer);
    }
    if (finalizers.includes(foregroundFinalizer)) {
      if (current.length === 0) return dropFinalizer(owner, foregroundFinalizer);
      for (const dependent of current) if (!dependent.metadata.deletionTimestamp) deleteWithRules(store, clock, dependent, "Foreground");
      return 1000;
    }
  };

  const dropFinalizer = (owner: StoredObject, finalizer: string) => {
    const finalizers = (owner.metadata.finalizers ?? []).filter((item) => item !== finalizer);
    const metadata: any = { ...owner.metadata, finalizers };
    if (finalizers.length === 0) delete metadata.finalizers;
    writeIfChanged(store, clock, { ...owner, metadata }, owner);
  };

  return {
    name: "garbage-collector",
    kinds: [],
    keysFor(event: WatchEvent) {
      if (!indexed) return [];
      const object = event.object;
      index(object, event.type !== "DELETED");
      const keys: string[] = [];
      const finalizers = object.metadata.finalizers ?? [];
      const propagating = event.type !== "DELETED" && object.metadata.deletionTimestamp && (finalizers.includes(foregroundFinalizer) || finalizers.includes(orphanFinalizer));
      if (propagating) {
        keys.push(encode(object));
        waiting.set(object.metadata.uid ?? "", encode(object));
      } else waiting.delete(object.metadata.uid ?? "");
      if (event.type === "DELETED" || object.metadata.deletionTimestamp) {
        for (const dependent of dependents.get(object.metadata.uid ?? "") ?? []) keys.push(dependent);
      }
      // A dependent of a foreground-deleting owner going away may let the owner finish.
      if (event.type === "DELETED") {
        for (const reference of object.metadata.ownerReferences ?? []) {
          const owner = waiting.get(reference.uid);
          if (owner) keys.push(owner);
        }
      }
      return keys;
    },
    allKeys() {
      fullScan();
      const keys: string[] = [];
      for (const set of dependents.values()) for (const dependent of set) keys.push(dependent);
      for (const resource of storedResourceTypes()) {
        for (const object of store.list(resource.kind).items) if (object.metadata.deletionTimestamp) keys.push(encode(object));
      }
      return [...new Set(keys)];
    },
    reconcile(key) {
      const reference = splitKey(key);
      const object = store.get(reference);
      if (!object) return;
      return object.metadata.deletionTimestamp ? checkOwner(reference) : checkDependent(reference);
    },
  };
}
