// The endpoints controllers, as one: each Service with a selector gets an Endpoints object of the
// same name (ready pods in `addresses`, the rest in `notReadyAddresses`) and EndpointSlices
// (discovery.k8s.io/v1, labelled `kubernetes.io/service-name`) with each pod's ready, serving
// and terminating conditions and its ports resolved against its own containers, as upstream's
// two controllers keep them. Which pods and ports is domain/traffic's rule; this file lists and
// writes. Services without a selector keep the Endpoints their users write; those are mirrored
// into EndpointSlices (upstream's mirroring controller), which is what the service proxy reads.

import { endpointSlices, endpointsSubsets, hasSelector, mirroredSlices, podEndpoints, sliceManagers } from "../../domain/traffic/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { keysOfKind, type Sources, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

const managedLabel = "endpoints.moor.dev/managed";

export function createEndpointsReconciler(store: Store, clock: Sources): Controller {
  return {
    name: "endpoints-controller",
    kinds: ["Service", "Pod", "EndpointSlice", "Endpoints"],
    allKeys: () => keysOfKind(store, "Service"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "Service") return [objectKey(keyOf(object))];
      if (object.kind === "Endpoints") return [objectKey({ kind: "Service", namespace: object.metadata.namespace, name: object.metadata.name })];
      if (object.kind === "EndpointSlice") {
        // A slice changed or deleted by someone else is put back.
        const owner = object.metadata.labels?.["kubernetes.io/service-name"];
        return owner ? [objectKey({ kind: "Service", namespace: object.metadata.namespace, name: owner })] : [];
      }
      if (object.kind !== "Pod") return [];
      // A pod matters to the services of its namespace whose selector it matches (or matched).
      return store
        .list("Service", { namespace: object.metadata.namespace })
        .items.filter(hasSelector)
        .map((service) => objectKey(keyOf(service)));
    },
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const service = store.get({ kind: "Service", namespace, name });
      const selected = service && hasSelector(service) ? service : undefined;
      const endpoints = selected ? podEndpoints(selected, store.list("Pod", { namespace }).items) : [];
      reconcileEndpoints(store, clock, { namespace, name }, selected && endpointsSubsets(selected, endpoints));
      reconcileSlices(store, clock, { namespace, name }, sliceManagers.endpoints, selected ? endpointSlices(selected, endpoints) : []);
      const userEndpoints = service && !selected && service.spec?.type !== "ExternalName" ? store.get({ kind: "Endpoints", namespace, name }) : undefined;
      const mirrored = userEndpoints && userEndpoints.metadata.labels?.[managedLabel] !== "true" ? mirroredSlices(service, userEndpoints) : [];
      reconcileSlices(store, clock, { namespace, name }, sliceManagers.mirror, mirrored);
    },
  };
}

function reconcileEndpoints(store: Store, clock: Sources, at: { namespace: string; name: string }, subsets: any[] | undefined): void {
  const existing = store.get({ kind: "Endpoints", ...at });
  if (!subsets) {
    // Upstream removes the Endpoints it made once the service (or its selector) goes.
    if (existing?.metadata.labels?.[managedLabel] === "true") store.delete({ kind: "Endpoints", ...at });
    return;
  }
  const service = store.get({ kind: "Service", ...at })!;
  const labels = { ...service.metadata.labels, [managedLabel]: "true" };
  const desired: StoredObject = { apiVersion: "v1", kind: "Endpoints", metadata: { ...at, labels }, ...(subsets.length > 0 ? { subsets } : {}) };
  if (!existing) store.create(desired);
  else writeIfChanged(store, clock, { ...existing, metadata: { ...existing.metadata, labels }, subsets: desired.subsets }, existing);
}

/** Makes the Service's managed slices exactly `desired` (by name), deleting the ones no longer wanted. */
function reconcileSlices(store: Store, clock: Sources, at: { namespace: string; name: string }, manager: string, desired: any[]): void {
  const current = store
    .list("EndpointSlice", { namespace: at.namespace })
    .items.filter((slice) => slice.metadata.labels?.["kubernetes.io/service-name"] === at.name && slice.metadata.labels?.["endpointslice.kubernetes.io/managed-by"] === manager);
  const wanted = new Set(desired.map((slice) => slice.metadata.name));
  for (const slice of current) if (!wanted.has(slice.metadata.name)) store.delete({ kind: "EndpointSlice", namespace: at.namespace, name: slice.metadata.name });
  for (const slice of desired) {
    const existing = current.find((item) => item.metadata.name === slice.metadata.name);
    if (!existing) store.create(slice);
    else {
      const next = { ...existing, metadata: { ...existing.metadata, labels: slice.metadata.labels }, addressType: slice.addressType, endpoints: slice.endpoints, ports: slice.ports };
      writeIfChanged(store, clock, next, existing);
    }
  }
}
