// Cells of the traffic kinds' table columns (Service, EndpointSlice, Ingress) as kubectl prints
// them: external addresses, load-balancer addresses, slice ports and endpoints, Ingress hosts.

import type { StoredObject } from "../../store/mod.js";
import { none } from "./_cells.js";

export function slicePorts(slice: StoredObject): string {
  const ports: any[] = slice.ports ?? [];
  return ports.length === 0 ? "<unset>" : ports.map((port) => String(port.port ?? "<unset>")).join(",");
}

export function sliceAddresses(slice: StoredObject): string {
  const list: string[] = (slice.endpoints ?? []).flatMap((endpoint: any) => endpoint.addresses ?? []);
  if (list.length === 0) return "<unset>";
  return list.length > 3 ? `${list.slice(0, 3).join(",")} + ${list.length - 3} more...` : list.join(",");
}

/** EXTERNAL-IP as upstream prints it: external IPs and load balancer addresses, `<pending>` for a LoadBalancer without. */
export function externalAddress(service: StoredObject): string {
  if (service.spec?.type === "ExternalName") return service.spec.externalName;
  const addresses = [...(service.spec?.externalIPs ?? []), ...loadBalancerAddresses(service)];
  return addresses.join(",") || (service.spec?.type === "LoadBalancer" ? "<pending>" : none);
}

export function loadBalancerAddresses(object: StoredObject): string[] {
  return (object.status?.loadBalancer?.ingress ?? []).map((entry: any) => entry.ip || entry.hostname).filter(Boolean);
}

export function ingressHosts(ingress: StoredObject): string {
  const hosts: string[] = (ingress.spec?.rules ?? []).map((rule: any) => rule.host).filter(Boolean);
  if (hosts.length === 0) return "*";
  return hosts.length > 3 ? `${hosts.slice(0, 3).join(",")} + ${hosts.length - 3} more...` : hosts.join(",");
}
