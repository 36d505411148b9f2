// Claims decide when a pod may be bound: every claim it uses must exist and be bound. A claim of
// a WaitForFirstConsumer class is bound only once a pod that uses it is being scheduled: the
// scheduler marks it with the node it chose, and the binder or provisioner takes it from there.

import type { Store, StoredObject } from "../../store/mod.js";
import type { ClaimLookup } from "../../domain/scheduling/mod.js";

export const selectedNodeAnnotation = "volume.kubernetes.io/selected-node";

export type ClaimsState = { ready: true } | { ready: false; immediateUnbound: boolean; waitingForFirstConsumer: StoredObject[] };

export function claimNames(pod: StoredObject): string[] {
  return ((pod.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName: string } }[])
    .map((volume) => volume.persistentVolumeClaim?.claimName)
    .filter((name): name is string => Boolean(name));
}

export function claimLookup(store: Store, namespace: string): ClaimLookup {
  return (claimName) => {
    const claim = store.get({ kind: "PersistentVolumeClaim", namespace, name: claimName });
    if (!claim) return { found: false };
    const volumeName = claim.spec?.volumeName as string | undefined;
    if (!volumeName) return { found: true, pvFound: false };
    const volume = store.get({ kind: "PersistentVolume", name: volumeName });
    return { found: true, volumeName, pvFound: Boolean(volume), csiDriver: volume?.spec?.csi?.driver };
  };
}

export function claimsState(store: Store, pod: StoredObject): ClaimsState {
  const namespace = pod.metadata.namespace ?? "default";
  let immediateUnbound = false;
  const waitingForFirstConsumer: StoredObject[] = [];
  for (const name of claimNames(pod)) {
    const claim = store.get({ kind: "PersistentVolumeClaim", namespace, name });
    if (!claim) return { ready: false, immediateUnbound: true, waitingForFirstConsumer };
    if (claim.status?.phase === "Bound" && claim.spec?.volumeName) continue;
    const className = claim.spec?.storageClassName as string | undefined;
    const storageClass = className ? store.get({ kind: "StorageClass", name: className }) : undefined;
    if (storageClass?.volumeBindingMode === "WaitForFirstConsumer") waitingForFirstConsumer.push(claim);
    else immediateUnbound = true;
  }
  if (!immediateUnbound && waitingForFirstConsumer.length === 0) return { ready: true };
  return { ready: false, immediateUnbound, waitingForFirstConsumer };
}

/** Marks first-consumer claims with the chosen node so the binder and provisioner act. */
export function selectNodeForClaims(store: Store, claims: StoredObject[], nodeName: string): void {
  for (const claim of claims) {
    if (claim.metadata.annotations?.[selectedNodeAnnotation] === nodeName) continue;
    const current = store.get({ kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name });
    if (!current) continue;
    store.update({ ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [selectedNodeAnnotation]: nodeName } } });
  }
}
