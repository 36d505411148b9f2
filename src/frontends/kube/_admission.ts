// Admission on create: what upstream's admission plugins and registry strategies add that needs
// the store: the namespace must exist and not be terminating, a Job gets its controller-uid
// selector, a Service gets its cluster IP and node ports (and keeps them on update), claims and volumes get their in-use protection finalizer.

import { allocateServiceAddresses, allocationsOf, invalidObject, type ResourceType } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { HttpError } from "./_status.js";

export function admitCreate(api: ApiContext, resource: ResourceType, object: StoredObject): void {
  if (resource.namespaced) checkNamespace(api, object.metadata.namespace!);
  if (resource.kind === "Job") admitJob(object);
  if (resource.kind === "Service") allocateAddresses(api, object);
  const protection = protectionFinalizers[resource.kind];
  if (protection && !(object.metadata.finalizers ?? []).includes(protection)) {
    object.metadata.finalizers = [...(object.metadata.finalizers ?? []), protection];
  }
}

/** Upstream's StorageObjectInUseProtection admission: claims and volumes go only once unused. */
const protectionFinalizers: Record<string, string> = {
  PersistentVolumeClaim: "kubernetes.io/pvc-protection",
  PersistentVolume: "kubernetes.io/pv-protection",
};

function checkNamespace(api: ApiContext, namespace: string): void {
  const found = api.store.get({ kind: "Namespace", namespace: "", name: namespace });
  if (!found) {
    throw new HttpError(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" });
  }
  if (found.metadata.deletionTimestamp) {
    throw new HttpError(403, "Forbidden", `unable to create new content in namespace ${namespace} because it is being terminated`, {
      name: namespace,
      kind: "namespaces",
      causes: [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }],
    });
  }
}

/** Upstream's Job strategy: a selector on the job's own uid, unless manualSelector is set. */
function admitJob(job: StoredObject): void {
  if (job.spec?.manualSelector === true) return;
  const uid = job.metadata.uid!;
  const name = job.metadata.name;
  const labels = { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name };
  job.spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
  job.spec.template ??= {};
  job.spec.template.metadata ??= {};
  job.spec.template.metadata.labels = { ...job.spec.template.metadata.labels, ...labels };
}

/** A Service's cluster IP and node ports, against what the other stored Services hold. */
function allocateAddresses(api: ApiContext, service: StoredObject, previous?: StoredObject): void {
  const taken = allocationsOf(api.store.list("Service").items, { namespace: service.metadata.namespace, name: service.metadata.name });
  const errors = allocateServiceAddresses(service, taken, previous);
  if (errors.length > 0) throw invalidObject("Service", service.metadata.name, errors);
}

/** Admission on update: a Service keeps what it holds and gets node ports when its type needs them. */
export function admitUpdate(api: ApiContext, resource: ResourceType, object: StoredObject, old: StoredObject): void {
  if (resource.kind === "Service") allocateAddresses(api, object, old);
}
