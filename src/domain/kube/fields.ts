// The fields each kind can be selected by (`--field-selector`), as upstream registers them.
// Every kind has metadata.name and metadata.namespace; some have more.

import { invalid } from "../../errors/mod.js";
import type { StoredObject } from "../objects/mod.js";
import type { FieldRequirement } from "./selectors.js";

type Extractor = (object: StoredObject) => Record<string, string>;

const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));

const extras: Record<string, Extractor> = {
  Pod: (pod) => ({
    "spec.nodeName": text(pod.spec?.nodeName),
    "spec.restartPolicy": text(pod.spec?.restartPolicy),
    "spec.schedulerName": text(pod.spec?.schedulerName),
    "spec.serviceAccountName": text(pod.spec?.serviceAccountName),
    "spec.hostNetwork": text(pod.spec?.hostNetwork ?? false),
    "status.phase": text(pod.status?.phase),
    "status.podIP": text(pod.status?.podIP),
    "status.nominatedNodeName": text(pod.status?.nominatedNodeName),
  }),
  Event: (event) => ({
    "involvedObject.kind": text(event.involvedObject?.kind),
    "involvedObject.namespace": text(event.involvedObject?.namespace),
    "involvedObject.name": text(event.involvedObject?.name),
    "involvedObject.uid": text(event.involvedObject?.uid),
    "involvedObject.apiVersion": text(event.involvedObject?.apiVersion),
    "involvedObject.resourceVersion": text(event.involvedObject?.resourceVersion),
    "involvedObject.fieldPath": text(event.involvedObject?.fieldPath),
    reason: text(event.reason),
    reportingComponent: text(event.reportingComponent),
    source: text(event.source?.component),
    type: text(event.type),
  }),
  Secret: (secret) => ({ type: text(secret.type) }),
  Namespace: (namespace) => ({ "status.phase": text(namespace.status?.phase) }),
  Node: (node) => ({ "spec.unschedulable": text(node.spec?.unschedulable ?? false) }),
  ReplicaSet: (set) => ({ "status.replicas": text(set.status?.replicas ?? 0) }),
  Job: (job) => ({ "status.successful": text(job.status?.succeeded ?? 0) }),
  PersistentVolumeClaim: (claim) => ({ "spec.volumeName": text(claim.spec?.volumeName) }),
};

/** The selectable fields of an object, by the names field selectors use. */
export function selectableFields(object: StoredObject): Record<string, string> {
  const base = { "metadata.name": object.metadata.name, "metadata.namespace": object.metadata.namespace ?? "" };
  const extra = extras[object.kind];
  return extra ? { ...base, ...extra(object) } : base;
}

const extraNames: Record<string, Set<string>> = Object.fromEntries(
  Object.entries(extras).map(([kind, extractor]) => [kind, new Set(Object.keys(extractor({ apiVersion: "v1", kind, metadata: { name: "" } })))]),
);

/** Refuses fields the kind cannot be selected by, with upstream's message (400 BadRequest). */
export function checkSelectableFields(kind: string, requirements: FieldRequirement[]): void {
  for (const requirement of requirements) {
    if (requirement.field === "metadata.name" || requirement.field === "metadata.namespace") continue;
    if (extraNames[kind]?.has(requirement.field)) continue;
    throw invalid(`field label not supported: ${requirement.field}`, { code: "BadRequest" });
  }
}
