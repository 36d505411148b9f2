// What the workload controllers share: owner references, pods made from templates, deletion
// with the API's rules (graceful for pods a node agent runs), and status writes that skip
// no-ops.

import {
  agentNodeLabel,
  applyDefaults,
  canonicalJson,
  decideDeletion,
  initialStatus,
  readyToRemove,
  type DeletionContext,
  type Propagation,
} from "../../domain/kube/mod.js";
import { keyOf, type OwnerReference, type Store, type StoredObject } from "../../store/mod.js";
import { objectKey } from "../runtime/mod.js";

export { timestamp } from "../../clock/mod.js";

/** What a workload reconciler reads besides the store: the time, and randomness for generated pod names. */
export interface Sources {
  now(): Date;
  random(): number;
}

/** The controller key of every object of a kind: what a resync looks at. */
export function keysOfKind(store: Store, kind: string): string[] {
  return store.list(kind).items.map((object) => objectKey(keyOf(object)));
}

export function ownerReference(owner: StoredObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function controllerUid(object: StoredObject): string | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.controller)?.uid;
}

export function controllerOf(object: StoredObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.controller);
}

export function ownedBy(objects: StoredObject[], owner: StoredObject): StoredObject[] {
  return objects.filter((object) => controllerUid(object) === owner.metadata.uid);
}

export function deletionContextOf(store: Store, clock: Sources): DeletionContext {
  return {
    now: clock.now(),
    nodeHasAgent: (nodeName) => Boolean(store.get({ kind: "Node", namespace: "", name: nodeName })?.metadata.labels?.[agentNodeLabel]),
  };
}

/** Deletes as the API would (graceful for pods on an agent's node); a vanished object is fine. */
export function deleteWithRules(store: Store, clock: Sources, object: StoredObject, propagation: Propagation = "Background"): void {
  const current = store.get({ kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name });
  if (!current || current.metadata.uid !== object.metadata.uid) return;
  const decision = decideDeletion(current, { propagationPolicy: propagation }, deletionContextOf(store, clock));
  if (decision.action === "remove") store.delete({ kind: current.kind, namespace: current.metadata.namespace ?? "", name: current.metadata.name }, { expectedRevision: current.metadata.resourceVersion });
  else if (decision.action === "mark") store.update(decision.object, { expectedRevision: current.metadata.resourceVersion });
}

/** Writes an object unless nothing changed; removes it when its last finalizer went. */
export function writeIfChanged(store: Store, clock: Sources, next: StoredObject, previous: StoredObject): StoredObject {
  if (canonicalJson(next) === canonicalJson(previous)) return previous;
  const stored = store.update(next, { expectedRevision: previous.metadata.resourceVersion });
  if (readyToRemove(stored, deletionContextOf(store, clock))) {
    store.delete({ kind: stored.kind, namespace: stored.metadata.namespace ?? "", name: stored.metadata.name });
  }
  return stored;
}

/** A pod from a controller's template, owned by the controller. */
export function podFromTemplate(owner: StoredObject, template: any, naming: { name?: string; generateName?: string; random: () => number }, labels: Record<string, string> = {}): StoredObject {
  const pod: StoredObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: naming.name ?? `${naming.generateName}${suffix(naming.random)}`,
      ...(naming.generateName ? { generateName: naming.generateName } : {}),
      namespace: owner.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), ...labels },
      ...(template?.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerReference(owner)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
  applyDefaults(pod);
  pod.status = initialStatus(pod);
  return pod;
}

const alphabet = "bcdfghjklmnpqrstvwxz2456789";
function suffix(random: () => number): string {
  let text = "";
  for (let index = 0; index < 5; index++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

/**
 * Whether new content may go into the namespace: not while it is being deleted (the API's
 * admission refuses it there; controllers write to the store directly, so they ask first).
 */
export function acceptsContent(store: Store, namespace: string | undefined): boolean {
  const found = store.get({ kind: "Namespace", namespace: "", name: namespace ?? "" });
  return Boolean(found) && !found!.metadata.deletionTimestamp;
}

/** Creates a pod named from generateName, retrying another suffix on a name collision. */
export function createGeneratedPod(store: Store, make: () => StoredObject): StoredObject {
  for (let attempt = 0; ; attempt++) {
    const pod = make();
    if (attempt < 8 && store.get({ kind: "Pod", namespace: pod.metadata.namespace ?? "", name: pod.metadata.name })) continue;
    return store.create(pod);
  }
}

/** Seconds a pod has been Ready, or -1 when it is not. */
export function readySeconds(pod: StoredObject, now: Date): number {
  const ready = (pod.status?.conditions ?? []).find((condition: any) => condition.type === "Ready" && condition.status === "True");
  if (!ready) return -1;
  const since = Date.parse(ready.lastTransitionTime ?? "");
  return Number.isNaN(since) ? Number.MAX_SAFE_INTEGER : (now.getTime() - since) / 1000;
}

/** Ready for at least minReadySeconds: what upstream calls available. */
export function isAvailable(pod: StoredObject, minReadySeconds: number, now: Date): boolean {
  const seconds = readySeconds(pod, now);
  return seconds >= 0 && seconds >= minReadySeconds;
}
