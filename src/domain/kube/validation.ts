// Validation of an object on create and update, per kind, as upstream's registry strategies do:
// object metadata (name rules per kind, labels, annotations), the kind's own rules, and on update
// the immutable fields. Throws one Invalid error carrying every problem as a Status cause.

import { type FieldError, forbidden, immutable, invalidObject, invalidValue, required } from "./field-errors.js";
import { dns1035Problems, labelProblems, labelValueProblems, pathSegmentProblems, qualifiedNameProblems, subdomainProblems } from "./names.js";
import { qualifiedKind, type ResourceType } from "./resources.js";
import { sortKeys, validatePodSpec, validatePodSpecUpdate } from "./validation-pod.js";
import {
  validateClaim,
  validateClaimUpdate,
  validateConfigMap,
  validateEvent,
  validateImmutableData,
  validateLease,
  validateSecret,
  validateService,
  validateServiceUpdate,
  validateStorageClass,
  validateStorageClassUpdate,
  validateVolume,
  validateVolumeUpdate,
} from "./validation-other.js";
import { validateIngress, validateIngressClass, validateIngressClassUpdate } from "./validation-ingress.js";
import {
  validateDeployment,
  validateJob,
  validateReplicaSet,
  validateStatefulSet,
  validateWorkloadUpdate,
} from "./validation-workloads.js";

type Check = (object: any, errors: FieldError[]) => void;
type UpdateCheck = (object: any, old: any, errors: FieldError[]) => void;

const createChecks: Record<string, Check> = {
  Pod: (pod, errors) => validatePodSpec(pod.spec, "spec", errors),
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  StatefulSet: validateStatefulSet,
  Job: validateJob,
  Service: validateService,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  PersistentVolumeClaim: validateClaim,
  PersistentVolume: validateVolume,
  StorageClass: validateStorageClass,
  Event: validateEvent,
  Lease: validateLease,
  Ingress: validateIngress,
  IngressClass: validateIngressClass,
};

const workloadUpdate = (kind: string): UpdateCheck => (object, old, errors) => validateWorkloadUpdate(kind, object, old, errors);

const updateChecks: Record<string, UpdateCheck> = {
  Pod: (pod, old, errors) => validatePodSpecUpdate(pod.spec, old.spec, errors),
  Deployment: workloadUpdate("Deployment"),
  ReplicaSet: workloadUpdate("ReplicaSet"),
  StatefulSet: workloadUpdate("StatefulSet"),
  Job: workloadUpdate("Job"),
  Service: validateServiceUpdate,
  ConfigMap: validateImmutableData,
  Secret: validateImmutableData,
  PersistentVolumeClaim: validateClaimUpdate,
  PersistentVolume: validateVolumeUpdate,
  StorageClass: validateStorageClassUpdate,
  Ingress: (object, _old, errors) => validateIngress(object, errors),
  IngressClass: validateIngressClassUpdate,
  FargateProfile: (object, old, errors) => {
    if (JSON.stringify(sortKeys(object.spec ?? null)) !== JSON.stringify(sortKeys(old.spec ?? null))) {
      errors.push(forbidden("spec", "a Fargate profile cannot be changed: delete it and create another"));
    }
  },
};

/** The name rule each kind's names follow upstream. */
export function nameProblems(kind: string, name: string): string[] {
  if (kind === "Namespace") return labelProblems(name);
  if (kind === "Service") return dns1035Problems(name);
  // These names follow their own (AWS) rules, checked where the objects are made.
  if (kind === "Event" || kind === "FileSystem" || kind === "AccessPoint" || kind === "MountTarget" || kind === "FargateProfile") {
    return pathSegmentProblems(name);
  }
  return subdomainProblems(name);
}

function validateMetadata(resource: ResourceType, object: any, errors: FieldError[]): void {
  const metadata = object.metadata ?? {};
  if (!metadata.name) errors.push(required("metadata.name", "name or generateName is required"));
  else for (const problem of nameProblems(resource.kind, metadata.name)) errors.push(invalidValue("metadata.name", metadata.name, problem));
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    for (const problem of qualifiedNameProblems(key)) errors.push(invalidValue("metadata.labels", key, problem));
    if (typeof value !== "string") errors.push(invalidValue(`metadata.labels`, value, "label values must be strings"));
    else for (const problem of labelValueProblems(value)) errors.push(invalidValue("metadata.labels", value, problem));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    for (const problem of qualifiedNameProblems(key.toLowerCase())) errors.push(invalidValue("metadata.annotations", key, problem));
    annotationBytes += key.length + String(value).length;
  }
  if (annotationBytes > 256 * 1024) {
    errors.push({ type: "FieldValueTooLong", field: "metadata.annotations", detail: "may not be more than 262144 bytes" });
  }
  for (const [index, finalizer] of (metadata.finalizers ?? []).entries()) {
    if (typeof finalizer !== "string" || qualifiedNameProblems(finalizer).length > 0) {
      errors.push(invalidValue(`metadata.finalizers[${index}]`, finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
}

export function validateCreate(resource: ResourceType, object: any): void {
  const errors: FieldError[] = [];
  validateMetadata(resource, object, errors);
  createChecks[resource.kind]?.(object, errors);
  if (errors.length > 0) throw invalidObject(qualifiedKind(resource), object.metadata?.name ?? "", errors);
}

export function validateUpdate(resource: ResourceType, object: any, old: any): void {
  const errors: FieldError[] = [];
  validateMetadata(resource, object, errors);
  createChecks[resource.kind]?.(object, errors);
  if (old.metadata?.deletionTimestamp && (object.metadata?.finalizers ?? []).some((item: string) => !(old.metadata.finalizers ?? []).includes(item))) {
    errors.push(forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted"));
  }
  if (old.metadata?.generateName !== undefined && object.metadata?.generateName !== old.metadata.generateName && object.metadata?.generateName !== undefined) {
    errors.push(immutable("metadata.generateName", object.metadata.generateName));
  }
  updateChecks[resource.kind]?.(object, old, errors);
  if (errors.length > 0) throw invalidObject(qualifiedKind(resource), object.metadata?.name ?? "", errors);
}
