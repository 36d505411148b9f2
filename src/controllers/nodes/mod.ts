// The node lifecycle check (upstream's node lifecycle controller, in small): a node whose Lease
// has not been renewed within the grace period is marked NotReady: its conditions become
// Unknown ("Kubelet stopped posting node status.") and it gets the unreachable taint. A
// controller on the controller runtime: each node is looked at when it or its Lease changes, and
// again when its heartbeat would go stale.

import type { Clock } from "../../clock/mod.js";
import { type Controller, ControllerRuntime, objectKey, type ReconcileResult, splitKey } from "../runtime/mod.js";
import { isMoorError } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { leaseNamespace } from "../../agent/mod.js";

export interface NodeLifecycleOptions {
  store: Store;
  clock: Clock;
  /** How stale a heartbeat may be (upstream's node-monitor-grace-period: 40 s). */
  gracePeriodMs?: number;
}

const unreachableTaint = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" };

export function checkNodes(store: Store, gracePeriodMs: number, now: Date): string[] {
  const marked: string[] = [];
  for (const node of store.list("Node").items) {
    const freshMs = freshForMs(store, node, gracePeriodMs, now);
    if (freshMs === undefined || freshMs >= 0) continue;
    if (markUnknown(store, node, now)) marked.push(node.metadata.name);
  }
  return marked;
}

/** How long the node's last heartbeat stays fresh (negative: stale for that long); undefined without one. */
function freshForMs(store: Store, node: StoredObject, gracePeriodMs: number, now: Date): number | undefined {
  const lease = store.get({ kind: "Lease", namespace: leaseNamespace, name: node.metadata.name });
  const renewed = Date.parse(lease?.spec?.renewTime ?? node.metadata.creationTimestamp ?? "");
  return Number.isFinite(renewed) ? renewed + gracePeriodMs - now.getTime() : undefined;
}

/** Marks one node if its heartbeat is stale; otherwise asks to look again once it would be. */
function checkNode(store: Store, name: string, gracePeriodMs: number, now: Date): ReconcileResult {
  const node = store.get({ kind: "Node", name });
  if (!node) return;
  const freshMs = freshForMs(store, node, gracePeriodMs, now);
  if (freshMs === undefined) return;
  if (freshMs >= 0) return freshMs + 1;
  markUnknown(store, node, now);
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

export function createNodeLifecycleController(options: NodeLifecycleOptions): ControllerRuntime {
  const { store, clock } = options;
  const gracePeriodMs = options.gracePeriodMs ?? 40_000;
  const nodeKey = (name: string) => objectKey({ kind: "Node", name });
  const controller: Controller = {
    name: "node-lifecycle",
    kinds: ["Node", "Lease"],
    keysFor: (event) => {
      const { kind, metadata } = event.object;
      if (event.type === "DELETED" || (kind === "Lease" && metadata.namespace !== leaseNamespace)) return [];
      return [nodeKey(metadata.name)];
    },
    allKeys: () => store.list("Node").items.map((node) => nodeKey(node.metadata.name)),
    reconcile: (key) => checkNode(store, splitKey(key).name, gracePeriodMs, clock.now()),
  };
  return new ControllerRuntime({ name: "node-lifecycle", store, clock, controllers: [controller] });
}
