// Where a non-Fargate pod may run: node-group nodes that are Ready, schedulable, whose taints the
// pod tolerates and whose labels satisfy its nodeSelector. Messages follow the default scheduler.

import type { StoredObject } from "../../store/mod.js";

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface NodeFit {
  fits: StoredObject[];
  /** Why the others do not fit, as "N node(s) <reason>" fragments. */
  reasons: string[];
}

export function fitNodes(pod: StoredObject, nodes: StoredObject[]): NodeFit {
  const counts = new Map<string, number>();
  const fits: StoredObject[] = [];
  for (const node of nodes) {
    const reason = misfit(pod, node);
    if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    else fits.push(node);
  }
  const reasons = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, count]) => `${count} ${reason}`);
  return { fits, reasons };
}

export function unschedulableMessage(total: number, reasons: string[]): string {
  if (total === 0) return "no nodes available to schedule pods";
  return `0/${total} nodes are available: ${reasons.join(", ")}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

function misfit(pod: StoredObject, node: StoredObject): string | undefined {
  if (!isReady(node)) return "node(s) were not ready";
  if (node.spec?.unschedulable) return "node(s) were unschedulable";
  const untolerated = ((node.spec?.taints ?? []) as Taint[]).find(
    (taint) => (taint.effect === "NoSchedule" || taint.effect === "NoExecute") && !tolerates(pod.spec?.tolerations ?? [], taint),
  );
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ""}}`;
  const selector = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  const labels = node.metadata.labels ?? {};
  if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

export function isReady(node: StoredObject): boolean {
  return ((node.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === "Ready" && c.status === "True");
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (toleration.operator === "Exists") return !toleration.key || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? "") === (taint.value ?? "");
  });
}
