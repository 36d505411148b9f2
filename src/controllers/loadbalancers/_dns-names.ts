// Load balancer names in cluster DNS, so pods reach a load balancer by its AWS hostname: one
// DnsRecord object per load balancer (src/domain/dns's hook for names Moor owns), its hostname
// answered with the load balancer's VPC address, owned by the Ingress's or Service's key.

import { dnsRecordKind, dnsRecordObject, dnsRecordOwnerAnnotation } from "../../domain/dns/mod.js";
import type { Store } from "../../store/mod.js";

const ownerPrefix = "loadbalancers:";

function owned(store: Store, key: string) {
  return store.list(dnsRecordKind).items.filter((item) => item.metadata.annotations?.[dnsRecordOwnerAnnotation] === `${ownerPrefix}${key}`);
}

/** Makes `hostname` answer `address`, and removes any other name the same object had. */
export function publishName(store: Store, key: string, hostname: string, address: string): void {
  const desired = dnsRecordObject({ name: hostname, addresses: [address] }, `${ownerPrefix}${key}`);
  const existing = store.get({ kind: dnsRecordKind, namespace: "", name: desired.metadata.name });
  if (!existing) store.create(desired);
  else if (JSON.stringify([existing.spec, existing.metadata.annotations]) !== JSON.stringify([desired.spec, desired.metadata.annotations])) {
    store.update({ ...existing, metadata: { ...existing.metadata, annotations: desired.metadata.annotations }, spec: desired.spec });
  }
  removeNames(store, key, desired.metadata.name);
}

/** Removes the names a load balancer's object published (all, or all but `keep`). */
export function removeNames(store: Store, key: string, keep?: string): void {
  for (const item of owned(store, key)) {
    if (item.metadata.name !== keep) store.delete({ kind: dnsRecordKind, namespace: "", name: item.metadata.name });
  }
}

/** The objects that published names, so that a restart removes those of objects since gone. */
export function namedKeys(store: Store): string[] {
  const keys = store.list(dnsRecordKind).items.map((item) => item.metadata.annotations?.[dnsRecordOwnerAnnotation] ?? "");
  return keys.filter((owner) => owner.startsWith(ownerPrefix)).map((owner) => owner.slice(ownerPrefix.length));
}
