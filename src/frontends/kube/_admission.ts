// Admission on create: what upstream's admission plugins and registry strategies add that needs
// the store: the namespace must exist and not be terminating, a Job gets its controller-uid
// selector, a Service gets a cluster IP, claims and volumes get their in-use protection finalizer.

import type { ResourceType } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { HttpError } from "./_status.js";

export function admitCreate(api: ApiContext, resource: ResourceType, object: StoredObject): void {
  if (resource.namespaced) checkNamespace(api, object.metadata.namespace!);
  if (resource.kind === "Job") admitJob(object);
  if (resource.kind === "Service") allocateClusterIp(api, object);
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

const serviceRangeBase = (10 << 24) | (100 << 16);
const serviceRangeSize = 1 << 16;

function ipText(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** Cluster IPs come from 10.100.0.0/16, as on EKS; `kubernetes` holds 10.100.0.1. */
function allocateClusterIp(api: ApiContext, service: StoredObject): void {
  const spec = service.spec;
  if (spec.type === "ExternalName" || spec.clusterIP === "None") {
    if (spec.clusterIP === "None") spec.clusterIPs = ["None"];
    return;
  }
  const used = new Set(api.store.list("Service").items.map((item) => item.spec?.clusterIP));
  if (spec.clusterIP) {
    if (used.has(spec.clusterIP)) {
      throw new HttpError(422, "Invalid", `Service "${service.metadata.name}" is invalid: spec.clusterIPs: Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
    }
  } else {
    for (let offset = 10; offset < serviceRangeSize - 1; offset++) {
      const candidate = ipText(serviceRangeBase + offset);
      if (!used.has(candidate)) {
        spec.clusterIP = candidate;
        break;
      }
    }
  }
  spec.clusterIPs = [spec.clusterIP];
}
