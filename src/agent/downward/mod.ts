// A pod's own facts as the downward API exposes them (fieldRef paths, resourceFieldRef values)
// and a secret's decoded data: what both a container's environment and a pod's projected
// volumes are built from.

import { parseQuantity } from "../../domain/quantity/mod.js";
import { invalid, quote } from "../../errors/mod.js";
import type { Pod, ResourceFieldSelector, Secret } from "../../domain/kube/mod.js";

export interface PodFacts {
  podIp?: string;
  hostIp?: string;
}

/** A value a pod field reference names, as the downward API spells the paths. */
export function podField(pod: Pod, path: string, facts: PodFacts): string {
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return (pod.metadata[label[1] as "labels" | "annotations"] ?? {})[label[2]!] ?? "";
  const mapText = (map: Record<string, string> | undefined) =>
    Object.entries(map ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key}="${value}"`)
      .join("\n");
  switch (path) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace ?? "default";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
    case "metadata.labels":
      return mapText(pod.metadata.labels);
    case "metadata.annotations":
      return mapText(pod.metadata.annotations);
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "default";
    case "status.podIP":
    case "status.podIPs":
      return facts.podIp ?? "";
    case "status.hostIP":
    case "status.hostIPs":
      return facts.hostIp ?? "";
  }
  throw invalid(`Cannot resolve field reference ${quote(path)}: it is not a supported field`);
}

/** A resource field reference ("limits.memory", divisor) of a container, as a decimal string. */
export function resourceField(pod: Pod, reference: ResourceFieldSelector, defaultContainer: string): string {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const container = containers.find((entry) => entry.name === (reference.containerName || defaultContainer));
  const [kind, resource] = String(reference.resource).split(".") as ["limits" | "requests", string];
  const value = parseQuantity(container?.resources?.[kind]?.[resource] ?? container?.resources?.limits?.[resource]) ?? 0;
  const divisor = parseQuantity(reference.divisor ?? "1") || 1;
  return String(Math.ceil(value / divisor));
}

export function decodedSecret(secret: Secret | undefined): Record<string, string> {
  const decoded: Record<string, string> = { ...(secret?.stringData ?? {}) };
  for (const [key, value] of Object.entries(secret?.data ?? {})) decoded[key] = Buffer.from(value, "base64").toString("utf8");
  return decoded;
}

