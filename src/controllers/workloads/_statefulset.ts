// The StatefulSet controller: pods named by ordinal (`web-0`, `web-1`, ...), each with claims
// from volumeClaimTemplates that outlive it; OrderedReady starts pods one at a time in order
// and stops them in reverse, Parallel does both at once; RollingUpdate replaces pods from the
// highest ordinal down to the partition.

import type { Recorder } from "../../events/mod.js";
import { isPodActive, isPodReady, selectorMatches } from "../../domain/kube/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { acceptsContent, type Sources, controllerOf, controllerUid, deleteWithRules, isAvailable, keysOfKind, ownerReference, podFromTemplate, writeIfChanged } from "./_objects.js";
import { templateHash } from "./_rollout.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

export const revisionLabel = "controller-revision-hash";

export function createStatefulSetReconciler(store: Store, clock: Sources, recorder: Recorder): Controller {
  return {
    name: "statefulset-controller",
    kinds: ["StatefulSet", "Pod"],
    allKeys: () => keysOfKind(store, "StatefulSet"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "StatefulSet") return [objectKey(keyOf(object))];
      const owner = object.kind === "Pod" ? controllerOf(object) : undefined;
      return owner?.kind === "StatefulSet" ? [objectKey({ kind: "StatefulSet", namespace: object.metadata.namespace, name: owner.name })] : [];
    },
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const set = store.get({ kind: "StatefulSet", namespace, name });
      if (set) return syncStatefulSet(store, clock, recorder, set);
    },
  };
}

function ordinalOf(set: StoredObject, pod: StoredObject): number {
  const prefix = `${set.metadata.name}-`;
  const rest = pod.metadata.name.startsWith(prefix) ? pod.metadata.name.slice(prefix.length) : "";
  return /^\d+$/.test(rest) ? Number(rest) : -1;
}

function claimName(template: any, set: StoredObject, ordinal: number): string {
  return `${template.metadata.name}-${set.metadata.name}-${ordinal}`;
}

function ensureClaims(store: Store, recorder: Recorder, set: StoredObject, ordinal: number): void {
  const namespace = set.metadata.namespace ?? "";
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const name = claimName(template, set, ordinal);
    if (store.get({ kind: "PersistentVolumeClaim", namespace, name })) continue;
    const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === "Delete";
    store.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name,
        namespace,
        labels: { ...(set.spec.selector?.matchLabels ?? {}), ...(template.metadata?.labels ?? {}) },
        finalizers: ["kubernetes.io/pvc-protection"],
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ...(deleteWithSet ? { ownerReferences: [{ ...ownerReference(set), controller: true, blockOwnerDeletion: true }] } : {}),
      },
      spec: { volumeMode: "Filesystem", ...structuredClone(template.spec ?? {}) },
      status: { phase: "Pending" },
    });
    recorder.record(set, "Normal", "SuccessfulCreate", `create Claim ${name} Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} success`);
  }
}

function makePod(set: StoredObject, ordinal: number, revision: string, random: () => number): StoredObject {
  const name = `${set.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(set, set.spec.template, { name, random }, {
    [revisionLabel]: revision,
    "statefulset.kubernetes.io/pod-name": name,
    "apps.kubernetes.io/pod-index": String(ordinal),
  });
  pod.spec.hostname = name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const volumes: any[] = pod.spec.volumes ?? [];
  for (const template of set.spec.volumeClaimTemplates ?? []) {
    const volume = { name: template.metadata.name, persistentVolumeClaim: { claimName: claimName(template, set, ordinal) } };
    const index = volumes.findIndex((item) => item.name === volume.name);
    if (index >= 0) volumes[index] = volume;
    else volumes.push(volume);
  }
  if (volumes.length > 0) pod.spec.volumes = volumes;
  return pod;
}

/** What one reconcile of a stateful set knows, shared by its steps. */
interface Pass {
  store: Store;
  clock: Sources;
  set: StoredObject;
  byOrdinal: Map<number, StoredObject>;
  revision: string;
  start: number;
  replicas: number;
  record(verb: string, pod: string): void;
  healthy(pod: StoredObject | undefined): boolean;
}

function syncStatefulSet(store: Store, clock: Sources, recorder: Recorder, set: StoredObject): number | void {
  const now = clock.now();
  const namespace = set.metadata.namespace ?? "";
  const revision = `${set.metadata.name}-${templateHash(set.spec?.template)}`;
  const pods = store.list("Pod", { namespace }).items.filter((pod) => controllerUid(pod) === set.metadata.uid && selectorMatches(set.spec?.selector, pod.metadata.labels));
  const start = set.spec?.ordinals?.start ?? 0;
  const replicas = set.spec?.replicas ?? 1;
  const ordered = (set.spec?.podManagementPolicy ?? "OrderedReady") === "OrderedReady";
  const byOrdinal = new Map(pods.map((pod) => [ordinalOf(set, pod), pod]));
  const healthy = (pod: StoredObject | undefined) => Boolean(pod && isPodActive(pod) && pod.status?.phase === "Running" && isPodReady(pod));
  const record = (verb: string, pod: string) => recorder.record(set, "Normal", verb === "create" ? "SuccessfulCreate" : "SuccessfulDelete", `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} successful`);

  if (!set.metadata.deletionTimestamp) {
    // Start (or replace failed) pods in ordinal order.
    for (let ordinal = start; ordinal < start + replicas; ordinal++) {
      const pod = byOrdinal.get(ordinal);
      if (pod?.status?.phase === "Failed" && !pod.metadata.deletionTimestamp) {
        deleteWithRules(store, clock, pod);
        record("delete", pod.metadata.name);
        if (ordered) break;
        continue;
      }
      if (!pod) {
        if (!acceptsContent(store, namespace)) break;
        ensureClaims(store, recorder, set, ordinal);
        const created = store.create(makePod(set, ordinal, revision, clock.random));
        byOrdinal.set(ordinal, created);
        record("create", created.metadata.name);
        if (ordered) break;
        continue;
      }
      if (ordered && !healthy(pod)) break;
    }
    // Stop condemned pods from the highest ordinal down.
    const condemned = [...byOrdinal.entries()].filter(([ordinal]) => ordinal < start || ordinal >= start + replicas).sort((a, b) => b[0] - a[0]);
    const allHealthy = [...byOrdinal.values()].every((pod) => healthy(pod) || !isPodActive(pod) && !pod.metadata.deletionTimestamp);
    for (const [, pod] of condemned) {
      if (pod.metadata.deletionTimestamp) {
        if (ordered) break;
        continue;
      }
      if (ordered && !allHealthy) break;
      deleteWithRules(store, clock, pod);
      record("delete", pod.metadata.name);
      if (ordered) break;
    }
    const pass: Pass = { store, clock, set, byOrdinal, revision, start, replicas, record, healthy };
    if (condemned.length === 0) rollingUpdate(pass);
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === "Delete") deleteScaledClaims(pass);
  }
  writeStatus(store, clock, set, [...byOrdinal.values()], revision, now);
}

/** whenScaled: Delete: the claims of ordinals scaled away go once their pods have gone. */
function deleteScaledClaims({ store, clock, set, byOrdinal, start, replicas }: Pass): void {
  const namespace = set.metadata.namespace ?? "";
  const claims = store.list("PersistentVolumeClaim", { namespace }).items;
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const prefix = `${template.metadata.name}-${set.metadata.name}-`;
    for (const claim of claims) {
      const rest = claim.metadata.name.startsWith(prefix) ? claim.metadata.name.slice(prefix.length) : "";
      if (!/^\d+$/.test(rest)) continue;
      const ordinal = Number(rest);
      if (ordinal >= start && ordinal < start + replicas) continue;
      const pod = byOrdinal.get(ordinal);
      if (pod && store.get({ kind: "Pod", namespace, name: pod.metadata.name })) continue;
      if (!claim.metadata.deletionTimestamp) deleteWithRules(store, clock, claim);
    }
  }
}

function rollingUpdate({ store, clock, set, byOrdinal, revision, start, replicas, record, healthy }: Pass): void {
  if ((set.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return;
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let ordinal = start + replicas - 1; ordinal >= start; ordinal--) {
    const pod = byOrdinal.get(ordinal);
    if (!pod || pod.metadata.deletionTimestamp) return;
    if (ordinal < start + partition) return;
    if (pod.metadata.labels?.[revisionLabel] !== revision) {
      deleteWithRules(store, clock, pod);
      record("delete", pod.metadata.name);
      return;
    }
    if (!healthy(pod)) return;
  }
}

function writeStatus(store: Store, clock: Sources, set: StoredObject, pods: StoredObject[], revision: string, now: Date): void {
  const live = pods.filter((pod) => store.get({ kind: "Pod", namespace: pod.metadata.namespace ?? "", name: pod.metadata.name }));
  const updated = live.filter((pod) => pod.metadata.labels?.[revisionLabel] === revision).length;
  const replicas = set.spec?.replicas ?? 1;
  const previousCurrent = set.status?.currentRevision ?? revision;
  const currentRevision = updated === replicas ? revision : previousCurrent;
  const status = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: live.length,
    readyReplicas: live.filter(isPodReady).length,
    currentReplicas: live.filter((pod) => pod.metadata.labels?.[revisionLabel] === currentRevision).length,
    updatedReplicas: updated,
    availableReplicas: live.filter((pod) => isAvailable(pod, set.spec?.minReadySeconds ?? 0, now)).length,
    currentRevision,
    updateRevision: revision,
    collisionCount: 0,
  };
  const current = store.get({ kind: "StatefulSet", namespace: set.metadata.namespace ?? "", name: set.metadata.name });
  if (current) writeIfChanged(store, clock, { ...current, status }, current);
}
