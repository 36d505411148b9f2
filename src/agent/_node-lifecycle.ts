// The node lifecycle check (upstream's node lifecycle controller, in small): a node whose Lease
// has not been renewed within the grace period is marked NotReady: its conditions become
// Unknown ("Kubelet stopped posting node status.") and it gets the unreachable taint.

import { isMoorError } from "../errors/mod.js";
import type { Store, StoredObject } from "../store/mod.js";
import { leaseNamespace } from "./_node.js";

export interface NodeLifecycleOptions {
  store: Store;
  /** How stale a heartbeat may be (upstream's node-monitor-grace-period: 40 s). */
  gracePeriodMs?: number;
  intervalMs?: number;
  now?: () => Date;
}

const unreachableTaint = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" };

export function checkNodes(store: Store, gracePeriodMs: number, now: Date): string[] {
  const marked: string[] = [];
  for (const node of store.list("Node").items) {
    const lease = store.get({ kind: "Lease", namespace: leaseNamespace, name: node.metadata.name });
    const renewed = Date.parse(lease?.spec?.renewTime ?? node.metadata.creationTimestamp ?? "");
    if (!Number.isFinite(renewed) || now.getTime() - renewed <= gracePeriodMs) continue;
    if (markUnknown(store, node, now)) marked.push(node.metadata.name);
  }
  return marked;
}

function markUnknown(store: Store, node: StoredObject, now: Date): boolean {
  const conditions: any[] = node.status?.conditions ?? [];
  if (conditions.some((condition) => condition.type === "Ready" && condition.status === "Unknown")) return false;
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const types = ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];
  const next = types.map((type) => {
    const before = conditions.find((condition) => condition.type === type) ?? {};
    return {
      ...before,
      type,
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastTransitionTime: stamp,
    };
  });
  const taints = [...(node.spec?.taints ?? []).filter((taint: any) => taint.key !== unreachableTaint.key), { ...unreachableTaint, timeAdded: stamp }];
  try {
    store.update({ ...node, spec: { ...node.spec, taints }, status: { ...node.status, conditions: next } }, { expectedRevision: node.metadata.resourceVersion });
    return true;
  } catch (error) {
    // Someone wrote the node meanwhile (its agent, perhaps back): look again next round.
    if (isMoorError(error) && error.category === "Conflict") return false;
    throw error;
  }
}

export function createNodeLifecycleController(options: NodeLifecycleOptions) {
  const gracePeriodMs = options.gracePeriodMs ?? 40_000;
  const intervalMs = options.intervalMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  return {
    name: "node-lifecycle",
    async start() {
      timer = setInterval(() => {
        try {
          checkNodes(options.store, gracePeriodMs, now());
        } catch (error) {
          console.error("moor: node lifecycle check failed:", error);
        }
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
  };
}
