// Discovery (aggregated v2 when the client asks for it, legacy otherwise), `/version` and the
// OpenAPI v3 stub that lets kubectl's default validation hand strict validation to the server.

import { apiGroups, apiVersionOf, type ResourceType } from "../../domain/kube/mod.js";

export const serverVersion = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2024-12-11T00:00:00Z",
  goVersion: "go1.23.3",
  compiler: "gc",
  platform: "linux/amd64",
};

const subresourceKinds: Record<string, (resource: ResourceType) => { group: string; version: string; kind: string; verbs: string[] }> = {
  status: (resource) => ({ group: resource.group, version: "v1", kind: resource.kind, verbs: ["get", "patch", "update"] }),
  scale: () => ({ group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] }),
  log: () => ({ group: "", version: "v1", kind: "Pod", verbs: ["get"] }),
  exec: () => ({ group: "", version: "v1", kind: "PodExecOptions", verbs: ["create", "get"] }),
  portforward: () => ({ group: "", version: "v1", kind: "PodPortForwardOptions", verbs: ["create", "get"] }),
  binding: () => ({ group: "", version: "v1", kind: "Binding", verbs: ["create"] }),
  eviction: () => ({ group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] }),
  finalize: (resource) => ({ group: "", version: "v1", kind: resource.kind, verbs: ["update"] }),
};

export const aggregatedContentType = (version: "v2" | "v2beta1") =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/** Which aggregated discovery version the Accept header asks for, if any. */
export function aggregatedVersion(accept: string): "v2" | "v2beta1" | undefined {
  if (/g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/.test(accept)) return "v2";
  if (/g=apidiscovery\.k8s\.io;v=v2beta1;as=APIGroupDiscoveryList/.test(accept)) return "v2beta1";
  return undefined;
}

function aggregatedResource(resource: ResourceType) {
  return {
    resource: resource.plural,
    responseKind: { group: resource.group, version: resource.version, kind: resource.kind },
    scope: resource.namespaced ? "Namespaced" : "Cluster",
    singularResource: resource.singular,
    verbs: resource.verbs,
    ...(resource.shortNames.length ? { shortNames: resource.shortNames } : {}),
    ...(resource.categories.length ? { categories: resource.categories } : {}),
    subresources: resource.subresources.map((name) => {
      const sub = subresourceKinds[name]!(resource);
      return { subresource: name, responseKind: { group: sub.group, version: sub.version, kind: sub.kind }, verbs: sub.verbs };
    }),
  };
}

/** `/api` (core only) or `/apis` (named groups) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean, version: "v2" | "v2beta1") {
  const groups = apiGroups().filter((group) => (group.group === "") === core);
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: { name: group.group },
      versions: [{ version: "v1", resources: group.resources.map(aggregatedResource), freshness: "Current" }],
    })),
  };
}

export function legacyCoreVersions(address: string) {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: address }] };
}

function groupEntry(group: string) {
  const groupVersion = `${group}/v1`;
  return { name: group, versions: [{ groupVersion, version: "v1" }], preferredVersion: { groupVersion, version: "v1" } };
}

export function legacyGroupList() {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: apiGroups()
      .filter((group) => group.group !== "")
      .map((group) => groupEntry(group.group)),
  };
}

export function legacyGroup(group: string) {
  if (!apiGroups().some((entry) => entry.group === group && group !== "")) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group) };
}

/** `/api/v1` or `/apis/{group}/v1` as an APIResourceList. */
export function legacyResourceList(group: string) {
  const entry = apiGroups().find((candidate) => candidate.group === group);
  if (!entry) return undefined;
  const resources = entry.resources.flatMap((resource) => [
    {
      name: resource.plural,
      singularName: resource.singular,
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: resource.verbs,
      ...(resource.shortNames.length ? { shortNames: resource.shortNames } : {}),
      ...(resource.categories.length ? { categories: resource.categories } : {}),
    },
    ...resource.subresources.map((name) => {
      const sub = subresourceKinds[name]!(resource);
      return {
        name: `${resource.plural}/${name}`,
        singularName: "",
        namespaced: resource.namespaced,
        ...(sub.group !== resource.group ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      };
    }),
  ]);
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf(entry.resources[0]!), resources };
}

function openApiPath(group: string): string {
  return group === "" ? "api/v1" : `apis/${group}/v1`;
}

export function openApiIndex() {
  return {
    paths: Object.fromEntries(
      apiGroups().map((group) => [openApiPath(group.group), { serverRelativeURL: `/openapi/v3/${openApiPath(group.group)}` }]),
    ),
  };
}

/**
 * One group version's OpenAPI document: just enough for kubectl (a patch operation per kind that
 * names the kind and accepts `fieldValidation`), which tells it the server validates fields.
 */
export function openApiDocument(path: string) {
  const group = apiGroups().find((candidate) => openApiPath(candidate.group) === path);
  if (!group) return undefined;
  const paths: Record<string, unknown> = {};
  for (const resource of group.resources) {
    const scope = resource.namespaced ? "/namespaces/{namespace}" : "";
    paths[`/${path}${scope}/${resource.plural}/{name}`] = {
      patch: {
        operationId: `patch${resource.kind}`,
        "x-kubernetes-group-version-kind": { group: resource.group, version: "v1", kind: resource.kind },
        parameters: [
          { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } },
          { name: "dryRun", in: "query", schema: { type: "string", uniqueItems: true } },
          { name: "fieldManager", in: "query", schema: { type: "string", uniqueItems: true } },
        ],
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths };
}

function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, payload.length]), payload]);
}

/**
 * OpenAPI v2 as protobuf (gnostic's Document), with no definitions: kubectl asks it only to
 * validate `kind: List` manifests client-side and to look up patch strategies. A type it does
 * not find there is not validated client-side (the server validates) and is patched with the
 * strategies compiled into kubectl.
 */
export const openApiV2Protobuf = Buffer.concat([
  field(1, Buffer.from("2.0")),
  field(2, Buffer.concat([field(1, Buffer.from("Kubernetes")), field(2, Buffer.from("v1.32.0"))])),
  field(8, Buffer.alloc(0)),
  field(9, Buffer.alloc(0)),
]);
// Go cannot parse the "@" of the Accept value kubectl sends; upstream answers with a dot.
export const openApiV2ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
