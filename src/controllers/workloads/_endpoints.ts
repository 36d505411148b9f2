// The endpoints controller: each Service with a selector gets an Endpoints object of the same
// name listing its pods' addresses (ready ones in `addresses`, the rest in
// `notReadyAddresses`) and its ports, with named target ports resolved against the pods'
// container ports, as upstream keeps them. Services without a selector are left to their users.

import { isPodReady } from "../../domain/kube/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { keysOfKind, type Sources, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

export function createEndpointsReconciler(store: Store, clock: Sources): Controller {
  return {
    name: "endpoints-controller",
    kinds: ["Service", "Pod"],
    allKeys: () => keysOfKind(store, "Service"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "Service") return [objectKey(keyOf(object))];
      if (object.kind !== "Pod") return [];
      // A pod matters to the services of its namespace whose selector it matches (or matched).
      return store
        .list("Service", { namespace: object.metadata.namespace })
        .items.filter((service) => service.spec?.selector && Object.keys(service.spec.selector).length > 0)
        .map((service) => objectKey(keyOf(service)));
    },
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const service = store.get({ kind: "Service", namespace, name });
      const existing = store.get({ kind: "Endpoints", namespace, name });
      if (!service || !hasSelector(service)) {
        // Upstream removes the Endpoints it made once the service (or its selector) goes.
        if (existing?.metadata.labels?.["endpoints.moor.dev/managed"] === "true") store.delete({ kind: "Endpoints", namespace, name });
        return;
      }
      const subsets = subsetsFor(service, store.list("Pod", { namespace }).items);
      const desired: StoredObject = {
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: { name, namespace, labels: { ...service.metadata.labels, "endpoints.moor.dev/managed": "true" } },
        ...(subsets.length > 0 ? { subsets } : {}),
      };
      if (!existing) store.create(desired);
      else writeIfChanged(store, clock, { ...existing, metadata: { ...existing.metadata, labels: desired.metadata.labels }, subsets: desired.subsets }, existing);
    },
  };
}

function hasSelector(service: StoredObject): boolean {
  return Boolean(service.spec?.selector && Object.keys(service.spec.selector).length > 0) && service.spec?.type !== "ExternalName";
}

function selects(service: StoredObject, pod: StoredObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(service.spec.selector as Record<string, string>).every(([key, value]) => labels[key] === value);
}

function targetPort(port: any, pod: StoredObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const container of pod.spec?.containers ?? []) {
    const found = (container.ports ?? []).find((item: any) => item.name === target && (item.protocol ?? "TCP") === (port.protocol ?? "TCP"));
    if (found) return found.containerPort;
  }
  return undefined;
}

/** One subset per distinct set of resolved ports, addresses sorted by IP, as upstream repacks them. */
function subsetsFor(service: StoredObject, pods: StoredObject[]): any[] {
  const groups = new Map<string, { ports: any[]; addresses: any[]; notReadyAddresses: any[] }>();
  for (const pod of pods) {
    if (!pod.status?.podIP || pod.metadata.deletionTimestamp || !selects(service, pod)) continue;
    const phase = pod.status.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    const ports = (service.spec.ports ?? [])
      .map((port: any) => ({ name: port.name, port: targetPort(port, pod), protocol: port.protocol ?? "TCP" }))
      .filter((port: any) => port.port !== undefined)
      .map((port: any) => (port.name ? port : { port: port.port, protocol: port.protocol }));
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, addresses: [] as any[], notReadyAddresses: [] as any[] };
    const address = {
      ip: pod.status.podIP,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    if (isPodReady(pod) || service.spec.publishNotReadyAddresses) group.addresses.push(address);
    else group.notReadyAddresses.push(address);
    groups.set(key, group);
  }
  const byIp = (a: any, b: any) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
  return [...groups.values()].map((group) => ({
    ...(group.addresses.length ? { addresses: group.addresses.sort(byIp) } : {}),
    ...(group.notReadyAddresses.length ? { notReadyAddresses: group.notReadyAddresses.sort(byIp) } : {}),
    ...(group.ports.length ? { ports: group.ports } : {}),
  }));
}
