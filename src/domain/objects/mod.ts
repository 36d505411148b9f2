// The shape every resource has, in the store and on every API: `apiVersion`, `kind`,
// `metadata`, `spec`, `status`, as Kubernetes objects are. Pure types and key helpers, so domain
// rules, the store, controllers and front ends all speak of objects the same way.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * One stored resource. `Spec` and `Status` name the kind's own types where the reader knows the
 * kind (`StoredObject<PodSpec, PodStatus>`); the defaults stay loose for code that handles any
 * kind generically (the store, the kube API's schema-driven paths).
 */
export interface StoredObject<Spec = any, Status = any> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  [field: string]: any;
}

/** Identifies one object. Cluster-scoped objects have namespace "". */
export interface ObjectKey {
  kind: string;
  namespace?: string;
  name: string;
}

export function keyOf(object: StoredObject): ObjectKey {
  return { kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name };
}

export function describeKey(key: ObjectKey): string {
  return key.namespace ? `${key.kind} "${key.namespace}/${key.name}"` : `${key.kind} "${key.name}"`;
}
