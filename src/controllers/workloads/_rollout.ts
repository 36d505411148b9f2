// A Deployment's replica sets: the template hash that names them, finding or creating the new
// one, revisions, and the rolling-update and recreate steps (how far to scale up and down).

import { canonicalJson, fnv32a, safeEncode } from "../../domain/kube/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { ownerReference } from "./_objects.js";

export const hashLabel = "pod-template-hash";
export const revisionAnnotation = "deployment.kubernetes.io/revision";

export function templateHash(template: unknown, collisionCount = 0): string {
  return safeEncode(fnv32a(`${canonicalJson(template)}#${collisionCount}`));
}

function withoutHash(template: any): unknown {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[hashLabel];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

export function sameTemplate(set: StoredObject, deployment: StoredObject): boolean {
  return canonicalJson(withoutHash(set.spec?.template)) === canonicalJson(withoutHash(deployment.spec?.template));
}

export function revisionOf(object: StoredObject): number {
  return Number(object.metadata.annotations?.[revisionAnnotation] ?? 0) || 0;
}

/** maxSurge rounds up, maxUnavailable down; both zero would stall, so unavailable becomes 1. */
export function rollingBounds(deployment: StoredObject): { surge: number; unavailable: number } {
  const replicas = deployment.spec?.replicas ?? 1;
  const rolling = deployment.spec?.strategy?.rollingUpdate ?? {};
  const resolve = (value: unknown, fallback: string, roundUp: boolean) => {
    const raw = value ?? fallback;
    if (typeof raw === "number") return raw;
    const percent = Number(String(raw).replace("%", ""));
    const exact = (percent * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  const surge = resolve(rolling.maxSurge, "25%", true);
  let unavailable = resolve(rolling.maxUnavailable, "25%", false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

/** The replica set a Deployment's current template runs in, made when missing. */
export function newReplicaSet(store: Store, deployment: StoredObject, sets: StoredObject[], replicas: number): { set: StoredObject; created: boolean } {
  const found = sets.find((set) => sameTemplate(set, deployment));
  if (found) return { set: found, created: false };
  const maxRevision = Math.max(0, ...sets.map(revisionOf));
  let collisionCount = deployment.status?.collisionCount ?? 0;
  for (;;) {
    const hash = templateHash(deployment.spec.template, collisionCount);
    const name = `${deployment.metadata.name}-${hash}`;
    const existing = store.get({ kind: "ReplicaSet", namespace: deployment.metadata.namespace ?? "", name });
    if (existing) {
      collisionCount++;
      continue;
    }
    const template = structuredClone(deployment.spec.template);
    template.metadata ??= {};
    template.metadata.labels = { ...template.metadata.labels, [hashLabel]: hash };
    const selector = structuredClone(deployment.spec.selector);
    selector.matchLabels = { ...selector.matchLabels, [hashLabel]: hash };
    const set = store.create({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name,
        namespace: deployment.metadata.namespace,
        generation: 1,
        labels: { ...template.metadata.labels },
        annotations: {
          [revisionAnnotation]: String(maxRevision + 1),
          "deployment.kubernetes.io/desired-replicas": String(deployment.spec.replicas),
          "deployment.kubernetes.io/max-replicas": String(deployment.spec.replicas + rollingBounds(deployment).surge),
        },
        ownerReferences: [ownerReference(deployment)],
      },
      spec: { replicas, minReadySeconds: deployment.spec.minReadySeconds ?? 0, selector, template },
      status: { replicas: 0 },
    });
    return { set, created: true };
  }
}

/** Sets a replica set's size (and bumps its generation); returns the stored set. */
export function scaleReplicaSet(store: Store, set: StoredObject, replicas: number, deployment: StoredObject): StoredObject {
  const current = store.get({ kind: "ReplicaSet", namespace: set.metadata.namespace ?? "", name: set.metadata.name }) ?? set;
  const annotations = {
    ...current.metadata.annotations,
    "deployment.kubernetes.io/desired-replicas": String(deployment.spec.replicas),
    "deployment.kubernetes.io/max-replicas": String(deployment.spec.replicas + rollingBounds(deployment).surge),
  };
  const sizeChanged = current.spec.replicas !== replicas;
  return store.update(
    {
      ...current,
      metadata: { ...current.metadata, annotations, generation: (current.metadata.generation ?? 1) + (sizeChanged ? 1 : 0) },
      spec: { ...current.spec, replicas },
    },
    { expectedRevision: current.metadata.resourceVersion },
  );
}
