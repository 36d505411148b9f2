// The Deployment controller: one replica set per template revision, rolled with RollingUpdate
// (maxSurge/maxUnavailable) or Recreate, old sets kept up to revisionHistoryLimit, and the
// status fields and conditions `kubectl rollout status` reads.

import type { Recorder } from "../../events/mod.js";
import { selectorMatches } from "../../domain/kube/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { type Sources, controllerOf, controllerUid, keysOfKind, ownerReference, timestamp, writeIfChanged } from "./_objects.js";
import { newReplicaSet, revisionAnnotation, revisionOf, rollingBounds, sameTemplate, scaleReplicaSet } from "./_rollout.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

export function createDeploymentReconciler(store: Store, clock: Sources, recorder: Recorder): Controller {
  return {
    name: "deployment-controller",
    kinds: ["Deployment", "ReplicaSet"],
    allKeys: () => keysOfKind(store, "Deployment"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "Deployment") return [objectKey(keyOf(object))];
      if (object.kind === "ReplicaSet") {
        const owner = controllerOf(object);
        return owner?.kind === "Deployment" ? [objectKey({ kind: "Deployment", namespace: object.metadata.namespace, name: owner.name })] : [];
      }
      return [];
    },
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const deployment = store.get({ kind: "Deployment", namespace, name });
      if (!deployment) return;
      return syncDeployment(store, clock, recorder, deployment);
    },
  };
}

function ownedSets(store: Store, deployment: StoredObject): StoredObject[] {
  const sets = store.list("ReplicaSet", { namespace: deployment.metadata.namespace }).items;
  const owned: StoredObject[] = [];
  for (const set of sets) {
    const uid = controllerUid(set);
    if (uid === deployment.metadata.uid) owned.push(set);
    else if (!uid && !deployment.metadata.deletionTimestamp && selectorMatches(deployment.spec?.selector, set.metadata.labels)) {
      const adopted = { ...set, metadata: { ...set.metadata, ownerReferences: [...(set.metadata.ownerReferences ?? []), ownerReference(deployment)] } };
      owned.push(store.update(adopted, { expectedRevision: set.metadata.resourceVersion }));
    }
  }
  return owned.sort((a, b) => revisionOf(a) - revisionOf(b));
}

function syncDeployment(store: Store, clock: Sources, recorder: Recorder, deployment: StoredObject): number | void {
  let sets = ownedSets(store, deployment);
  if (deployment.metadata.deletionTimestamp) return writeStatus(store, clock, deployment, sets, undefined);
  if (deployment.spec?.paused) return syncPaused(store, clock, recorder, deployment, sets);
  const replicas = deployment.spec?.replicas ?? 1;
  const recreate = deployment.spec?.strategy?.type === "Recreate";
  const oldActive = sets.filter((set) => (set.spec?.replicas ?? 0) > 0);
  const initial = recreate || oldActive.length === 0 ? replicas : 0;
  const { set: created, created: isNew } = newReplicaSet(store, deployment, sets, recreate ? 0 : initial);
  let newSet = created;
  if (isNew) {
    sets.push(newSet);
    if (newSet.spec.replicas > 0) recorder.record(deployment, "Normal", "ScalingReplicaSet", `Scaled up replica set ${newSet.metadata.name} from 0 to ${newSet.spec.replicas}`);
  }
  const maxRevision = Math.max(0, ...sets.filter((set) => set !== newSet).map(revisionOf));
  if (revisionOf(newSet) <= maxRevision && sets.length > 1) {
    // A rollback to an older template makes that set the newest revision again.
    const annotations = { ...newSet.metadata.annotations, [revisionAnnotation]: String(maxRevision + 1) };
    newSet = store.update({ ...newSet, metadata: { ...newSet.metadata, annotations } }, { expectedRevision: newSet.metadata.resourceVersion });
    sets = sets.map((set) => (set.metadata.uid === newSet.metadata.uid ? newSet : set));
  }
  const scale = (set: StoredObject, size: number) => {
    const staleSize = set.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"] !== String(replicas);
    if (set.spec.replicas === size && !staleSize) return set;
    if (set.spec.replicas !== size) {
      const verb = size > set.spec.replicas ? "up" : "down";
      recorder.record(deployment, "Normal", "ScalingReplicaSet", `Scaled ${verb} replica set ${set.metadata.name} from ${set.spec.replicas} to ${size}`);
    }
    const stored = scaleReplicaSet(store, set, size, deployment);
    sets = sets.map((item) => (item.metadata.uid === stored.metadata.uid ? stored : item));
    if (stored.metadata.uid === newSet.metadata.uid) newSet = stored;
    return stored;
  };
  const old = () => sets.filter((set) => set.metadata.uid !== newSet.metadata.uid);
  if (recreate) {
    for (const set of old()) scale(set, 0);
    const oldPods = store.list("Pod", { namespace: deployment.metadata.namespace }).items.filter((pod) => old().some((set) => controllerUid(pod) === set.metadata.uid));
    if (oldPods.length === 0) scale(newSet, replicas);
  } else if (!scaleProportionally(deployment, sets, scale)) {
    rollingStep(deployment, newSet, old(), scale);
  }
  cleanupHistory(store, deployment, old());
  return writeStatus(store, clock, deployment, sets, newSet, isNew);
}

/**
 * A paused deployment rolls nothing out, but still follows a change of its replica count (the
 * newest active replica set takes it) and reports its status, as upstream does.
 */
function syncPaused(store: Store, clock: Sources, recorder: Recorder, deployment: StoredObject, sets: StoredObject[]): number | void {
  const replicas = deployment.spec?.replicas ?? 1;
  const active = sets.filter((set) => (set.spec?.replicas ?? 0) > 0);
  const target = active[active.length - 1] ?? sets[sets.length - 1];
  if (target && active.length <= 1 && target.spec.replicas !== replicas) {
    const verb = replicas > target.spec.replicas ? "up" : "down";
    recorder.record(deployment, "Normal", "ScalingReplicaSet", `Scaled ${verb} replica set ${target.metadata.name} from ${target.spec.replicas} to ${replicas}`);
    const stored = scaleReplicaSet(store, target, replicas, deployment);
    sets = sets.map((set) => (set.metadata.uid === stored.metadata.uid ? stored : set));
  }
  return writeStatus(store, clock, deployment, sets, sets.find((set) => sameTemplate(set, deployment)), false, true);
}

/**
 * A replica count changed while several replica sets run (mid-rollout): each takes its share
 * of the change in proportion to its size, as upstream does, instead of the new one taking it
 * all. Returns whether it was such a scaling event.
 */
function scaleProportionally(deployment: StoredObject, sets: StoredObject[], scale: (set: StoredObject, size: number) => StoredObject): boolean {
  const replicas = deployment.spec.replicas ?? 1;
  const active = sets.filter((set) => (set.spec?.replicas ?? 0) > 0);
  if (active.length < 2) return false;
  const desired = (set: StoredObject) => Number(set.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"] ?? replicas);
  if (active.every((set) => desired(set) === replicas)) return false;
  const allowed = replicas + rollingBounds(deployment).surge;
  const current = active.reduce((sum, set) => sum + set.spec.replicas, 0);
  const toAdd = allowed - current;
  const ordered = [...active].sort((a, b) => (toAdd > 0 ? b.spec.replicas - a.spec.replicas : a.spec.replicas - b.spec.replicas));
  let added = 0;
  const sizes = ordered.map((set) => {
    const previousAllowed = Number(set.metadata.annotations?.["deployment.kubernetes.io/max-replicas"] ?? current) || current;
    let share = Math.round((set.spec.replicas * allowed) / previousAllowed) - set.spec.replicas;
    share = toAdd > 0 ? Math.min(share, toAdd - added) : Math.max(share, toAdd - added);
    added += share;
    return set.spec.replicas + share;
  });
  sizes[0]! += toAdd - added;
  ordered.forEach((set, index) => scale(set, Math.max(0, sizes[index]!)));
  return true;
}

/** One step of a rolling update: surge the new set up, then scale old sets down within bounds. */
function rollingStep(deployment: StoredObject, newSet: StoredObject, old: StoredObject[], scale: (set: StoredObject, size: number) => StoredObject): void {
  const replicas = deployment.spec.replicas ?? 1;
  const { surge, unavailable } = rollingBounds(deployment);
  const total = () => newSet.spec.replicas + old.reduce((sum, set) => sum + set.spec.replicas, 0);
  if (newSet.spec.replicas > replicas) newSet = scale(newSet, replicas);
  else if (newSet.spec.replicas < replicas) {
    const room = replicas + surge - total();
    if (room > 0) newSet = scale(newSet, Math.min(replicas, newSet.spec.replicas + room));
  }
  const minAvailable = replicas - unavailable;
  const newUnavailable = Math.max(0, newSet.spec.replicas - (newSet.status?.availableReplicas ?? 0));
  let budget = total() - minAvailable - newUnavailable;
  if (budget <= 0) return;
  // Unhealthy old pods go first: removing them costs no availability.
  for (let index = 0; index < old.length && budget > 0; index++) {
    const set = old[index]!;
    const unhealthy = set.spec.replicas - (set.status?.availableReplicas ?? 0);
    const cut = Math.min(unhealthy, budget, set.spec.replicas);
    if (cut > 0) {
      old[index] = scale(set, set.spec.replicas - cut);
      budget -= cut;
    }
  }
  const available = newSet.status?.availableReplicas ?? 0;
  const oldAvailable = old.reduce((sum, set) => sum + Math.min(set.spec.replicas, set.status?.availableReplicas ?? 0), 0);
  let removable = Math.min(budget, available + oldAvailable - minAvailable);
  for (let index = 0; index < old.length && removable > 0; index++) {
    const set = old[index]!;
    const cut = Math.min(set.spec.replicas, removable);
    if (cut > 0) {
      old[index] = scale(set, set.spec.replicas - cut);
      removable -= cut;
    }
  }
}

function cleanupHistory(store: Store, deployment: StoredObject, old: StoredObject[]): void {
  const limit = deployment.spec?.revisionHistoryLimit ?? 10;
  const idle = old.filter((set) => set.spec.replicas === 0 && (set.status?.replicas ?? 0) === 0 && !set.metadata.deletionTimestamp);
  for (const set of idle.slice(0, Math.max(0, idle.length - limit))) {
    const current = store.get({ kind: "ReplicaSet", namespace: set.metadata.namespace ?? "", name: set.metadata.name });
    if (current) store.delete({ kind: "ReplicaSet", namespace: set.metadata.namespace ?? "", name: set.metadata.name });
  }
}

function condition(type: string, status: boolean | "Unknown", reason: string, message: string, previous: any[], now: string) {
  const before = previous.find((item) => item.type === type);
  const value = status === "Unknown" ? "Unknown" : status ? "True" : "False";
  const transition = before && before.status === value ? before.lastTransitionTime : now;
  const update = before && before.status === value && before.reason === reason && before.message === message ? before.lastUpdateTime : now;
  return { type, status: value, lastUpdateTime: update, lastTransitionTime: transition, reason, message };
}

function writeStatus(
  store: Store,
  clock: Sources,
  deployment: StoredObject,
  sets: StoredObject[],
  newSet: StoredObject | undefined,
  created = false,
  paused = false,
): number | void {
  const now = clock.now();
  const stamp = timestamp(now);
  const replicas = deployment.spec?.replicas ?? 1;
  const sum = (field: string) => sets.reduce((total, set) => total + (set.status?.[field] ?? 0), 0);
  const available = sum("availableReplicas");
  const updated = newSet?.status?.replicas ?? 0;
  const total = sum("replicas");
  const previous: any[] = deployment.status?.conditions ?? [];
  const { unavailable } = rollingBounds(deployment);
  const minAvailable = deployment.spec?.strategy?.type === "Recreate" ? replicas : replicas - unavailable;
  const conditions = [
    available >= minAvailable
      ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", previous, stamp)
      : condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", previous, stamp),
  ];
  let again: number | undefined;
  if (paused) {
    conditions.push(condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", previous, stamp));
  } else if (newSet) {
    const name = newSet.metadata.name;
    const complete = updated === replicas && available === replicas && total === replicas && (newSet.status?.availableReplicas ?? 0) === replicas;
    const before = previous.find((item) => item.type === "Progressing");
    const deadline = deployment.spec?.progressDeadlineSeconds ?? 600;
    if (complete) conditions.push(condition("Progressing", true, "NewReplicaSetAvailable", `ReplicaSet "${name}" has successfully progressed.`, previous, stamp));
    else if (before?.reason === "ProgressDeadlineExceeded") conditions.push(before);
    else if (before && before.status === "True" && Date.parse(before.lastUpdateTime) + deadline * 1000 <= now.getTime() && !created) {
      conditions.push(condition("Progressing", false, "ProgressDeadlineExceeded", `ReplicaSet "${name}" has timed out progressing.`, previous, stamp));
    } else {
      const reason = created ? "NewReplicaSetCreated" : before ? "ReplicaSetUpdated" : "FoundNewReplicaSet";
      const message = created ? `Created new replica set "${name}"` : before ? `ReplicaSet "${name}" is progressing.` : `Found new replica set "${name}"`;
      const next = condition("Progressing", true, reason, message, previous, stamp);
      conditions.push(next);
      again = Math.max(1000, Date.parse(next.lastUpdateTime) + deadline * 1000 - now.getTime() + 10);
    }
  } else {
    const before = previous.find((item) => item.type === "Progressing");
    if (before) conditions.push(before);
  }
  const status = {
    observedGeneration: deployment.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: updated,
    readyReplicas: sum("readyReplicas"),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicas - available),
    conditions,
    ...(deployment.status?.collisionCount ? { collisionCount: deployment.status.collisionCount } : {}),
  };
  for (const field of ["updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas", "replicas"] as const) {
    if (status[field] === 0) delete (status as Record<string, unknown>)[field];
  }
  const current = store.get({ kind: "Deployment", namespace: deployment.metadata.namespace ?? "", name: deployment.metadata.name });
  if (!current) return;
  const annotations = newSet ? { ...current.metadata.annotations, [revisionAnnotation]: String(revisionOf(newSet)) } : current.metadata.annotations;
  const next = { ...current, metadata: { ...current.metadata, ...(annotations ? { annotations } : {}) }, status };
  // Keep lastUpdateTime stable when nothing else changed, so a no-op writes nothing.
  writeIfChanged(store, clock, next, current);
  return again;
}
