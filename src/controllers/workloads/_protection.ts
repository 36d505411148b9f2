// The in-use protection controllers (upstream's pvc-protection and pv-protection): a claim being
// deleted keeps its `kubernetes.io/pvc-protection` finalizer while a pod that has not finished
// still uses it, and a volume being deleted keeps `kubernetes.io/pv-protection` while it is
// bound, so deleting a claim never pulls storage from under a running pod.

import type { Store, StoredObject, WatchEvent } from "../../store/mod.js";
import { type Clock, writeIfChanged } from "./_objects.js";
import type { Reconciler } from "./_runtime.js";

const claimFinalizer = "kubernetes.io/pvc-protection";
const volumeFinalizer = "kubernetes.io/pv-protection";

function protectedAndDeleting(object: StoredObject, finalizer: string): boolean {
  return Boolean(object.metadata.deletionTimestamp) && (object.metadata.finalizers ?? []).includes(finalizer);
}

function usesClaim(pod: StoredObject, claim: string): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  return (pod.spec?.volumes ?? []).some((volume: any) => volume.persistentVolumeClaim?.claimName === claim);
}

export function createProtectionReconciler(store: Store, clock: Clock): Reconciler {
  const release = (object: StoredObject, finalizer: string) => {
    const finalizers = (object.metadata.finalizers ?? []).filter((item) => item !== finalizer);
    const metadata: any = { ...object.metadata, finalizers };
    if (finalizers.length === 0) delete metadata.finalizers;
    writeIfChanged(store, clock, { ...object, metadata }, object);
  };
  return {
    name: "storage-protection",
    kind: "",
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "PersistentVolumeClaim" && protectedAndDeleting(object, claimFinalizer)) return [`claim:${object.metadata.namespace}/${object.metadata.name}`];
      if (object.kind === "PersistentVolume" && protectedAndDeleting(object, volumeFinalizer)) return [`volume:${object.metadata.name}`];
      // A pod going away (or finishing) may free the claims it used.
      if (object.kind === "Pod" && (event.type === "DELETED" || object.status?.phase === "Succeeded" || object.status?.phase === "Failed")) {
        return (object.spec?.volumes ?? [])
          .filter((volume: any) => volume.persistentVolumeClaim?.claimName)
          .map((volume: any) => `claim:${object.metadata.namespace}/${volume.persistentVolumeClaim.claimName}`);
      }
      // A claim going away may free its volume.
      if (object.kind === "PersistentVolumeClaim" && event.type === "DELETED" && object.spec?.volumeName) return [`volume:${object.spec.volumeName}`];
      return [];
    },
    allKeys() {
      return [
        ...store.list("PersistentVolumeClaim").items.filter((claim) => protectedAndDeleting(claim, claimFinalizer)).map((claim) => `claim:${claim.metadata.namespace}/${claim.metadata.name}`),
        ...store.list("PersistentVolume").items.filter((volume) => protectedAndDeleting(volume, volumeFinalizer)).map((volume) => `volume:${volume.metadata.name}`),
      ];
    },
    reconcile(key) {
      if (key.startsWith("claim:")) {
        const [namespace, name] = key.slice("claim:".length).split("/") as [string, string];
        const claim = store.get({ kind: "PersistentVolumeClaim", namespace, name });
        if (!claim || !protectedAndDeleting(claim, claimFinalizer)) return;
        if (store.list("Pod", { namespace }).items.some((pod) => usesClaim(pod, name))) return;
        release(claim, claimFinalizer);
        return;
      }
      const volume = store.get({ kind: "PersistentVolume", namespace: "", name: key.slice("volume:".length) });
      if (!volume || !protectedAndDeleting(volume, volumeFinalizer)) return;
      if (volume.status?.phase === "Bound") return;
      release(volume, volumeFinalizer);
    },
  };
}
