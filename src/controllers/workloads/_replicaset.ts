// The ReplicaSet controller: keeps `spec.replicas` active pods matching the selector (adopting
// orphans, releasing pods that stopped matching), deletes the least useful pods first when
// there are too many, and reports replicas, ready and available counts.

import type { Recorder } from "../../events/mod.js";
import { isPodActive, isPodReady, selectorMatches } from "../../domain/kube/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import {
  acceptsContent,
  type Sources,
  controllerOf,
  controllerUid,
  createGeneratedPod,
  deleteWithRules,
  isAvailable,
  keysOfKind,
  ownerReference,
  podFromTemplate,
  readySeconds,
  writeIfChanged,
} from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

/** Pods one reconcile creates at most; the next pass creates more. */
export const podCreateBurstMax = 500;

export function createReplicaSetReconciler(store: Store, clock: Sources, recorder: Recorder): Controller {
  return {
    name: "replicaset-controller",
    kinds: ["ReplicaSet", "Pod"],
    allKeys: () => keysOfKind(store, "ReplicaSet"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "ReplicaSet") return [objectKey(keyOf(object))];
      if (object.kind !== "Pod") return [];
      const owner = controllerOf(object);
      if (owner?.kind === "ReplicaSet") return [objectKey({ kind: "ReplicaSet", namespace: object.metadata.namespace, name: owner.name })];
      return [];
    },
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const set = store.get({ kind: "ReplicaSet", namespace, name });
      if (!set) return;
      return syncReplicaSet(store, clock, recorder, set);
    },
  };
}

function syncReplicaSet(store: Store, clock: Sources, recorder: Recorder, set: StoredObject): number | void {
  const now = clock.now();
  const pods = store.list("Pod", { namespace: set.metadata.namespace }).items;
  const owned = claimPods(store, set, pods);
  const active = owned.filter(isPodActive);
  const wanted = set.spec?.replicas ?? 1;
  if (!set.metadata.deletionTimestamp) {
    const diff = active.length - wanted;
    if (diff < 0 && acceptsContent(store, set.metadata.namespace)) {
      for (let count = 0; count < Math.min(-diff, podCreateBurstMax); count++) {
        const pod = createGeneratedPod(store, () =>
          podFromTemplate(set, set.spec.template, { generateName: `${set.metadata.name}-`, random: clock.random }),
        );
        active.push(pod);
        owned.push(pod);
        recorder.record(set, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
      }
    } else if (diff > 0) {
      for (const pod of rankForDeletion(active, now).slice(0, diff)) {
        deleteWithRules(store, clock, pod);
        recorder.record(set, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
        active.splice(active.indexOf(pod), 1);
      }
    }
  }
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status = {
    ...set.status,
    replicas: active.length,
    fullyLabeledReplicas: active.filter((pod) => selectorMatches(set.spec.selector, pod.metadata.labels)).length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((pod) => isAvailable(pod, minReady, now)).length,
    observedGeneration: set.metadata.generation ?? 1,
  };
  const current = store.get({ kind: "ReplicaSet", namespace: set.metadata.namespace ?? "", name: set.metadata.name });
  if (current) writeIfChanged(store, clock, { ...current, status }, current);
  // Pods becoming available after minReadySeconds produce no event: look again then.
  const waiting = active.map((pod) => readySeconds(pod, now)).filter((seconds) => seconds >= 0 && seconds < minReady);
  if (waiting.length > 0) return Math.ceil((minReady - Math.max(...waiting)) * 1000) + 10;
}

/** Adopts matching orphans and releases owned pods that no longer match, as upstream. */
function claimPods(store: Store, set: StoredObject, pods: StoredObject[]): StoredObject[] {
  const owned: StoredObject[] = [];
  for (const pod of pods) {
    const matches = selectorMatches(set.spec?.selector, pod.metadata.labels);
    const uid = controllerUid(pod);
    if (uid === set.metadata.uid) {
      if (matches || pod.metadata.deletionTimestamp) owned.push(pod);
      else release(store, pod, set);
    } else if (!uid && matches && isPodActive(pod) && !set.metadata.deletionTimestamp) {
      const adopted = { ...pod, metadata: { ...pod.metadata, ownerReferences: [...(pod.metadata.ownerReferences ?? []), ownerReference(set)] } };
      owned.push(store.update(adopted, { expectedRevision: pod.metadata.resourceVersion }));
    }
  }
  return owned;
}

function release(store: Store, pod: StoredObject, set: StoredObject): void {
  const references = (pod.metadata.ownerReferences ?? []).filter((reference) => reference.uid !== set.metadata.uid);
  const metadata: any = { ...pod.metadata, ownerReferences: references };
  if (references.length === 0) delete metadata.ownerReferences;
  store.update({ ...pod, metadata }, { expectedRevision: pod.metadata.resourceVersion });
}

/** Upstream's order: unscheduled, pending, not ready, ready for less time, newer first. */
function rankForDeletion(pods: StoredObject[], now: Date): StoredObject[] {
  const phaseRank = (pod: StoredObject) => (pod.status?.phase === "Pending" ? 0 : pod.status?.phase === "Unknown" ? 1 : 2);
  return [...pods].sort((a, b) => {
    const scheduled = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
    if (scheduled !== 0) return scheduled;
    const phase = phaseRank(a) - phaseRank(b);
    if (phase !== 0) return phase;
    const ready = Number(isPodReady(a)) - Number(isPodReady(b));
    if (ready !== 0) return ready;
    const readyFor = readySeconds(a, now) - readySeconds(b, now);
    if (readyFor !== 0) return readyFor;
    return Date.parse(b.metadata.creationTimestamp ?? "") - Date.parse(a.metadata.creationTimestamp ?? "");
  });
}
