// The in-use protection controllers (upstream's pvc-protection and pv-protection): a claim being
// deleted keeps its `kubernetes.io/pvc-protection` finalizer while a pod that has not finished
// still uses it, and a volume being deleted keeps `kubernetes.io/pv-protection` while it is
// bound, so deleting a claim never pulls storage from under a running pod.

import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { type Sources, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

const claimFinalizer = "kubernetes.io/pvc-protection";
const volumeFinalizer = "kubernetes.io/pv-protection";
const claimKind = "PersistentVolumeClaim";
const volumeKind = "PersistentVolume";

function protectedAndDeleting(object: StoredObject, finalizer: string): boolean {
  return Boolean(object.metadata.deletionTimestamp) && (object.metadata.finalizers ?? []).includes(finalizer);
}

function usesClaim(pod: StoredObject, claim: string): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  return (pod.spec?.volumes ?? []).some((volume: any) => volume.persistentVolumeClaim?.claimName === claim);
}

export function createProtectionReconciler(store: Store, clock: Sources): Controller {
  const release = (object: StoredObject, finalizer: string) => {
    const finalizers = (object.metadata.finalizers ?? []).filter((item) => item !== finalizer);
    const metadata: any = { ...object.metadata, finalizers };
    if (finalizers.length === 0) delete metadata.finalizers;
    writeIfChanged(store, clock, { ...object, metadata }, object);
  };
  return {
    name: "storage-protection",
    kinds: ["PersistentVolumeClaim", "PersistentVolume", "Pod"],
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "PersistentVolumeClaim" && protectedAndDeleting(object, claimFinalizer)) return [objectKey(keyOf(object))];
      if (object.kind === "PersistentVolume" && protectedAndDeleting(object, volumeFinalizer)) return [objectKey(keyOf(object))];
      // A pod going away (or finishing) may free the claims it used.
      if (object.kind === "Pod" && (event.type === "DELETED" || object.status?.phase === "Succeeded" || object.status?.phase === "Failed")) {
        return (object.spec?.volumes ?? [])
          .filter((volume: any) => volume.persistentVolumeClaim?.claimName)
          .map((volume: any) => objectKey({ kind: claimKind, namespace: object.metadata.namespace, name: volume.persistentVolumeClaim.claimName }));
      }
      // A claim going away may free its volume.
      if (object.kind === "PersistentVolumeClaim" && event.type === "DELETED" && object.spec?.volumeName) return [objectKey({ kind: volumeKind, name: object.spec.volumeName })];
      return [];
    },
    allKeys() {
      return [
        ...store.list(claimKind).items.filter((claim) => protectedAndDeleting(claim, claimFinalizer)),
        ...store.list(volumeKind).items.filter((volume) => protectedAndDeleting(volume, volumeFinalizer)),
      ].map((object) => objectKey(keyOf(object)));
    },
    reconcile(key) {
      const { kind, namespace, name } = splitKey(key);
      if (kind === claimKind) {
        const claim = store.get({ kind: claimKind, namespace, name });
        if (!claim || !protectedAndDeleting(claim, claimFinalizer)) return;
        if (store.list("Pod", { namespace }).items.some((pod) => usesClaim(pod, name))) return;
        release(claim, claimFinalizer);
        return;
      }
      const volume = store.get({ kind: volumeKind, name });
      if (!volume || !protectedAndDeleting(volume, volumeFinalizer)) return;
      if (volume.status?.phase === "Bound") return;
      release(volume, volumeFinalizer);
    },
  };
}
