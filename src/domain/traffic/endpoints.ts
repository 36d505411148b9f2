// Which pods back a Service, as upstream's EndpointSlice and Endpoints controllers decide: pods of
// the Service's namespace matching its selector, with an address, not finished. Each endpoint
// carries the three conditions (ready, serving, terminating) and the Service's ports resolved
// against that pod (a named targetPort is looked up in its containers, so two pods may answer on
// different numbers). Pure: the controller lists the objects and writes what this returns.

/** One endpoint port: the Service port's name and protocol, the pod's number. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
}

export interface PodEndpoint {
  ip: string;
  nodeName?: string;
  zone?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: EndpointPort[];
  targetRef: { kind: "Pod"; namespace: string; name: string; uid: string };
}

const phasesDone = new Set(["Succeeded", "Failed"]);

export function hasSelector(service: any): boolean {
  return Boolean(service?.spec?.selector && Object.keys(service.spec.selector).length > 0) && service.spec?.type !== "ExternalName";
}

export function selects(service: any, pod: any): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(service.spec.selector as Record<string, string>).every(([key, value]) => labels[key] === value);
}

function podReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((condition: any) => condition.type === "Ready" && condition.status === "True");
}

/** The pod's number for a Service port: numeric targetPort as is, a name from its containers. */
export function resolveTargetPort(port: any, pod: any): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const container of pod.spec?.containers ?? []) {
    const found = (container.ports ?? []).find((item: any) => item.name === target && (item.protocol ?? "TCP") === (port.protocol ?? "TCP"));
    if (found) return found.containerPort;
  }
  return undefined;
}

/** The Service's endpoints among `pods` (any pods; those not selected are skipped), sorted by IP. */
export function podEndpoints(service: any, pods: readonly any[]): PodEndpoint[] {
  if (!hasSelector(service)) return [];
  const found: PodEndpoint[] = [];
  for (const pod of pods) {
    if (!pod.status?.podIP || phasesDone.has(pod.status.phase) || !selects(service, pod)) continue;
    const ready = podReady(pod);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const ports = (service.spec.ports ?? []).flatMap((port: any) => {
      const number = resolveTargetPort(port, pod);
      return number === undefined ? [] : [{ ...(port.name ? { name: port.name } : {}), port: number, protocol: port.protocol ?? "TCP" }];
    });
    found.push({
      ip: pod.status.podIP,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      ...(pod.metadata.labels?.["topology.kubernetes.io/zone"] ? { zone: pod.metadata.labels["topology.kubernetes.io/zone"] } : {}),
      // publishNotReadyAddresses: every endpoint counts as ready, as upstream reports it.
      ready: Boolean(service.spec.publishNotReadyAddresses) || (ready && !terminating),
      serving: ready,
      terminating,
      ports,
      targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    });
  }
  return found.sort((a, b) => compareIps(a.ip, b.ip));
}

function compareIps(a: string, b: string): number {
  const value = (ip: string) => ip.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
  return value(a) - value(b);
}

/** Endpoints' subsets: one per distinct port set; terminating pods are left out, as upstream. */
export function endpointsSubsets(service: any, endpoints: readonly PodEndpoint[]): any[] {
  const groups = new Map<string, { ports: EndpointPort[]; addresses: any[]; notReadyAddresses: any[] }>();
  for (const endpoint of endpoints) {
    if (endpoint.terminating && !service.spec?.publishNotReadyAddresses) continue;
    const key = JSON.stringify(endpoint.ports);
    const group = groups.get(key) ?? { ports: endpoint.ports, addresses: [], notReadyAddresses: [] };
    const address = { ip: endpoint.ip, ...(endpoint.nodeName ? { nodeName: endpoint.nodeName } : {}), targetRef: endpoint.targetRef };
    if (endpoint.ready) group.addresses.push(address);
    else group.notReadyAddresses.push(address);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    ...(group.addresses.length ? { addresses: group.addresses } : {}),
    ...(group.notReadyAddresses.length ? { notReadyAddresses: group.notReadyAddresses } : {}),
    ...(group.ports.length ? { ports: group.ports } : {}),
  }));
}

/** A short stable hash (FNV-1a, base 36), for names that must stay the same across restarts. */
export function shortHash(text: string, length = 5): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, "0").slice(-length);
}

/**
 * The Service's EndpointSlices (discovery.k8s.io/v1): one per distinct port set, named after the
 * Service with a stable suffix, labelled as upstream's controller labels them.
 */
export function endpointSlices(service: any, endpoints: readonly PodEndpoint[]): any[] {
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: PodEndpoint[] }>();
  for (const endpoint of endpoints) {
    const key = JSON.stringify(endpoint.ports);
    const group = groups.get(key) ?? { ports: endpoint.ports, endpoints: [] };
    group.endpoints.push(endpoint);
    groups.set(key, group);
  }
  const name = service.metadata.name;
  const namespace = service.metadata.namespace;
  const sets = groups.size > 0 ? [...groups.entries()] : [["[]", { ports: [] as EndpointPort[], endpoints: [] as PodEndpoint[] }] as const];
  return sets.map(([key, group]) => ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${name.slice(0, 56)}-${shortHash(`${service.metadata.uid}/${key}`)}`,
      namespace,
      labels: {
        ...service.metadata.labels,
        "kubernetes.io/service-name": name,
        "endpointslice.kubernetes.io/managed-by": sliceManagers.endpoints,
      },
      ...(service.metadata.uid
        ? { ownerReferences: [{ apiVersion: "v1", kind: "Service", name, uid: service.metadata.uid, controller: true, blockOwnerDeletion: true }] }
        : {}),
    },
    addressType: "IPv4",
    endpoints: group.endpoints.map((endpoint) => ({
      addresses: [endpoint.ip],
      conditions: { ready: endpoint.ready, serving: endpoint.serving, terminating: endpoint.terminating },
      ...(endpoint.nodeName ? { nodeName: endpoint.nodeName } : {}),
      ...(endpoint.zone ? { zone: endpoint.zone } : {}),
      targetRef: endpoint.targetRef,
    })),
    ports: group.ports.map((port) => ({ name: port.name ?? "", port: port.port, protocol: port.protocol })),
  }));
}

const mirrorManager = "endpointslicemirroring-controller.k8s.io";

/**
 * EndpointSlices mirrored from an Endpoints object its user keeps for a Service without a
 * selector (upstream's EndpointSlice mirroring controller): one slice per subset, addresses
 * ready, not-ready addresses not ready. The service proxy reads slices only, so this is what
 * makes such a Service (kube-dns pointing at Moor's DNS server, say) carry traffic.
 */
export function mirroredSlices(service: any, endpoints: any): any[] {
  const name = service.metadata.name;
  return (endpoints?.subsets ?? []).map((subset: any, index: number) => ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${name.slice(0, 56)}-${shortHash(`${service.metadata.uid}/mirror/${index}`)}`,
      namespace: service.metadata.namespace,
      labels: { ...endpoints.metadata?.labels, "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": mirrorManager },
      ...(endpoints.metadata?.uid ? { ownerReferences: [{ apiVersion: "v1", kind: "Endpoints", name, uid: endpoints.metadata.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    addressType: "IPv4",
    endpoints: [
      ...(subset.addresses ?? []).map((address: any) => mirroredEndpoint(address, true)),
      ...(subset.notReadyAddresses ?? []).map((address: any) => mirroredEndpoint(address, false)),
    ],
    ports: (subset.ports ?? []).map((port: any) => ({ name: port.name ?? "", port: port.port, protocol: port.protocol ?? "TCP" })),
  }));
}

function mirroredEndpoint(address: any, ready: boolean): any {
  return {
    addresses: [address.ip],
    conditions: { ready, serving: ready, terminating: false },
    ...(address.nodeName ? { nodeName: address.nodeName } : {}),
    ...(address.targetRef ? { targetRef: address.targetRef } : {}),
  };
}

export const sliceManagers = { endpoints: "endpointslice-controller.k8s.io", mirror: mirrorManager } as const;
