// The namespace controller: a namespace being deleted has everything in it deleted (pods
// gracefully, through their node agent), and goes once it is empty; every active namespace has
// a `default` ServiceAccount, as upstream's service-account controller keeps.

import { namespacedKinds } from "../../domain/kube/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { type Sources, deleteWithRules, keysOfKind, timestamp, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

const pollWhileTerminatingMs = 1000;

export function createNamespaceReconciler(store: Store, clock: Sources): Controller {
  return {
    name: "namespace-controller",
    kinds: ["Namespace", "ServiceAccount"],
    allKeys: () => keysOfKind(store, "Namespace"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "Namespace") return event.type === "DELETED" ? [] : [objectKey(keyOf(object))];
      if (object.kind === "ServiceAccount" && event.type === "DELETED") return [objectKey({ kind: "Namespace", name: object.metadata.namespace ?? "" })];
      return [];
    },
    reconcile(key) {
      const { name } = splitKey(key);
      const namespace = store.get({ kind: "Namespace", namespace: "", name });
      if (!namespace) return;
      if (!namespace.metadata.deletionTimestamp) return ensureServiceAccount(store, name);
      return drain(store, clock, namespace);
    },
  };
}

function ensureServiceAccount(store: Store, namespace: string): void {
  if (store.get({ kind: "ServiceAccount", namespace, name: "default" })) return;
  store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } });
}

function drain(store: Store, clock: Sources, namespace: StoredObject): number | void {
  const name = namespace.metadata.name;
  let remaining = 0;
  for (const kind of namespacedKinds()) {
    for (const object of store.list(kind, { namespace: name }).items) {
      remaining++;
      if (!object.metadata.deletionTimestamp) deleteWithRules(store, clock, object, "Background");
    }
  }
  const conditions = [
    {
      type: "NamespaceContentRemaining",
      status: remaining > 0 ? "True" : "False",
      lastTransitionTime: timestamp(clock.now()),
      reason: remaining > 0 ? "SomeResourcesRemain" : "ContentRemoved",
      message: remaining > 0 ? `Some resources are remaining: ${remaining} objects` : "All content successfully removed",
    },
  ];
  if (remaining > 0) {
    const previous = namespace.status?.conditions?.[0];
    if (previous?.message !== conditions[0]!.message) {
      writeIfChanged(store, clock, { ...namespace, status: { ...namespace.status, phase: "Terminating", conditions } }, namespace);
    }
    return pollWhileTerminatingMs;
  }
  // Empty: drop the `kubernetes` finalizer; with no other finalizer the namespace goes.
  const finalizers = (namespace.spec?.finalizers ?? []).filter((item: string) => item !== "kubernetes");
  const next = { ...namespace, spec: { ...namespace.spec, finalizers }, status: { ...namespace.status, phase: "Terminating", conditions } };
  const stored = writeIfChanged(store, clock, next, namespace);
  if (finalizers.length === 0 && (stored.metadata.finalizers ?? []).length === 0 && store.get({ kind: "Namespace", namespace: "", name })) {
    store.delete({ kind: "Namespace", namespace: "", name });
  }
}
