// The catalog of resource types the Kubernetes API serves: group, version, names, scope, short
// names and categories as upstream publishes them in discovery (kubectl 1.32 has no built-in
// short names; `po`, `deploy`, `pvc` and `get all` come from here), and the subresources.
// Kind names are unique across groups, which is what lets the store key objects by kind alone.

export interface ResourceType {
  kind: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
  /** Kinds whose spec changes bump metadata.generation (the workload controllers observe it). */
  generation: boolean;
  /** Answered on create and never stored (access reviews). */
  review?: boolean;
}

const allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const readDeleteVerbs = ["delete", "deletecollection", "get", "list", "watch"];

function type(
  group: string,
  kind: string,
  plural: string,
  options: Partial<Omit<ResourceType, "kind" | "group" | "plural">> = {},
): ResourceType {
  return {
    kind,
    group,
    version: "v1",
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    subresources: [],
    generation: false,
    ...options,
  };
}

const cluster = { namespaced: false };
const all = ["all"];

export const resourceTypes: readonly ResourceType[] = [
  type("", "Namespace", "namespaces", { ...cluster, shortNames: ["ns"], subresources: ["status", "finalize"] }),
  type("", "Pod", "pods", {
    shortNames: ["po"],
    categories: all,
    subresources: ["status", "log", "exec", "portforward", "binding", "eviction"],
  }),
  type("", "Node", "nodes", { ...cluster, shortNames: ["no"], subresources: ["status"] }),
  type("", "Event", "events", { shortNames: ["ev"] }),
  type("", "ConfigMap", "configmaps", { shortNames: ["cm"] }),
  type("", "Secret", "secrets"),
  type("", "ServiceAccount", "serviceaccounts", { shortNames: ["sa"] }),
  type("", "Service", "services", { shortNames: ["svc"], categories: all, subresources: ["status"] }),
  type("", "Endpoints", "endpoints", { singular: "endpoints", shortNames: ["ep"] }),
  type("", "PersistentVolume", "persistentvolumes", { ...cluster, shortNames: ["pv"], subresources: ["status"] }),
  type("", "PersistentVolumeClaim", "persistentvolumeclaims", { shortNames: ["pvc"], subresources: ["status"] }),
  type("apps", "Deployment", "deployments", {
    shortNames: ["deploy"],
    categories: all,
    subresources: ["scale", "status"],
    generation: true,
  }),
  type("apps", "ReplicaSet", "replicasets", {
    shortNames: ["rs"],
    categories: all,
    subresources: ["scale", "status"],
    generation: true,
  }),
  type("apps", "StatefulSet", "statefulsets", {
    shortNames: ["sts"],
    categories: all,
    subresources: ["scale", "status"],
    generation: true,
  }),
  type("batch", "Job", "jobs", { categories: all, subresources: ["status"], generation: true }),
  type("networking.k8s.io", "Ingress", "ingresses", { shortNames: ["ing"], subresources: ["status"] }),
  type("networking.k8s.io", "IngressClass", "ingressclasses", cluster),
  type("storage.k8s.io", "StorageClass", "storageclasses", { ...cluster, shortNames: ["sc"] }),
  type("storage.k8s.io", "CSIDriver", "csidrivers", cluster),
  type("storage.k8s.io", "CSINode", "csinodes", cluster),
  type("discovery.k8s.io", "EndpointSlice", "endpointslices"),
  type("coordination.k8s.io", "Lease", "leases"),
  type("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews", { ...cluster, verbs: ["create"], review: true }),
  type("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews", { ...cluster, verbs: ["create"], review: true }),
  type("efs.moor.dev", "FileSystem", "filesystems", { ...cluster, shortNames: ["fs"], verbs: readDeleteVerbs }),
  type("efs.moor.dev", "AccessPoint", "accesspoints", { ...cluster, shortNames: ["fsap"], verbs: readDeleteVerbs }),
  type("efs.moor.dev", "MountTarget", "mounttargets", { ...cluster, shortNames: ["fsmt"], verbs: readDeleteVerbs }),
  type("eks.moor.dev", "FargateProfile", "fargateprofiles", { ...cluster, subresources: ["status"], generation: true }),
];

const byKind = new Map(resourceTypes.map((resource) => [resource.kind, resource]));

export function resourceForKind(kind: string): ResourceType | undefined {
  return byKind.get(kind);
}

export function resourceForPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((resource) => resource.group === group && resource.version === version && resource.plural === plural);
}

export function apiVersionOf(resource: ResourceType): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** The groups in the order discovery lists them (core first, as upstream). */
export function apiGroups(): { group: string; version: string; resources: ResourceType[] }[] {
  const groups = new Map<string, ResourceType[]>();
  for (const resource of resourceTypes) {
    const list = groups.get(resource.group) ?? [];
    list.push(resource);
    groups.set(resource.group, list);
  }
  return [...groups].map(([group, resources]) => ({ group, version: "v1", resources }));
}

/** Kinds that live in a namespace: namespace deletion and the garbage collector walk these. */
export function namespacedKinds(): string[] {
  return resourceTypes.filter((resource) => resource.namespaced && !resource.review).map((resource) => resource.kind);
}

/** The kinds kept in the store (everything but the reviews answered on the spot). */
export function storedResourceTypes(): ResourceType[] {
  return resourceTypes.filter((resource) => !resource.review);
}

/** `deployments.apps`, `pods`: how upstream names a resource in messages. */
export function qualifiedPlural(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

/** `Deployment.apps`, `Pod`: how upstream names a kind in Invalid messages. */
export function qualifiedKind(resource: ResourceType): string {
  return resource.group ? `${resource.kind}.${resource.group}` : resource.kind;
}
