// The kube-dns Service in kube-system, as EKS lists it (`kubectl get svc -n kube-system`:
// ClusterIP 10.100.0.10, 53/UDP and 53/TCP), and its Endpoints: the address the DNS server
// answers on inside the VPC namespace. The Service has no selector, so the endpoints
// controller leaves its Endpoints to Moor; the Service datapath carries 10.100.0.10:53 there.

import { kubeDnsClusterIp } from "../../domain/dns/mod.js";
import { applyDefaults, initialStatus } from "../../domain/kube/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

export const kubeDnsNamespace = "kube-system";
export const kubeDnsName = "kube-dns";
export { kubeDnsClusterIp };

const labels = {
  "eks.amazonaws.com/component": "kube-dns",
  "k8s-app": "kube-dns",
  "kubernetes.io/cluster-service": "true",
  "kubernetes.io/name": "CoreDNS",
};

export function kubeDnsService(): StoredObject {
  const service: StoredObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: kubeDnsName, namespace: kubeDnsNamespace, labels: { ...labels } },
    spec: {
      type: "ClusterIP",
      clusterIP: kubeDnsClusterIp,
      clusterIPs: [kubeDnsClusterIp],
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
      ],
    },
  };
  applyDefaults(service);
  service.status = initialStatus(service);
  return service;
}

export function kubeDnsEndpoints(serverAddress: string): StoredObject {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: kubeDnsName, namespace: kubeDnsNamespace, labels: { ...labels } },
    subsets: [
      {
        addresses: [{ ip: serverAddress }],
        ports: [
          { name: "dns", port: 53, protocol: "UDP" },
          { name: "dns-tcp", port: 53, protocol: "TCP" },
        ],
      },
    ],
  };
}

/**
 * Creates what is missing, and puts the Endpoints back on the server's address. Returns a
 * problem to report instead of throwing when another Service already holds 10.100.0.10 (a
 * data directory from before Moor reserved it).
 */
export function ensureKubeDns(store: Store, serverAddress: string): string | undefined {
  if (!store.get({ kind: "Namespace", namespace: "", name: kubeDnsNamespace })) {
    const namespace: StoredObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: kubeDnsNamespace } };
    applyDefaults(namespace);
    namespace.status = initialStatus(namespace);
    store.create(namespace);
  }
  if (!store.get({ kind: "Service", namespace: kubeDnsNamespace, name: kubeDnsName })) {
    const holder = store.list("Service").items.find((service) => service.spec?.clusterIP === kubeDnsClusterIp);
    if (holder) return `Cannot create Service "kube-system/kube-dns": ${kubeDnsClusterIp} is held by Service "${holder.metadata.namespace}/${holder.metadata.name}"`;
    store.create(kubeDnsService());
  }
  const desired = kubeDnsEndpoints(serverAddress);
  const existing = store.get({ kind: "Endpoints", namespace: kubeDnsNamespace, name: kubeDnsName });
  if (!existing) store.create(desired);
  else if (JSON.stringify(existing.subsets) !== JSON.stringify(desired.subsets)) store.update({ ...existing, subsets: desired.subsets });
  return undefined;
}
