// What deleting an object means, as one pure decision shared by the API and the controllers:
// remove it now, or mark it (deletionTimestamp, grace period, propagation finalizers) and let
// whoever holds it finish (the node agent for a pod on its node, the garbage collector for
// foreground/orphan propagation, the namespace controller, a user's finalizer).

import type { StoredObject } from "../objects/mod.js";

export type Propagation = "Background" | "Foreground" | "Orphan";

export interface DeletionRequest {
  gracePeriodSeconds?: number;
  propagationPolicy?: Propagation;
}

export interface DeletionContext {
  now: Date;
  /** Whether a node agent serves the named node (it then finishes a graceful pod deletion). */
  nodeHasAgent(nodeName: string): boolean;
}

export type DeletionDecision = { action: "remove" } | { action: "mark"; object: StoredObject } | { action: "none" };

export const foregroundFinalizer = "foregroundDeletion";
export const orphanFinalizer = "orphan";
export const agentNodeLabel = "moor.dev/agent";

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The pod's effective grace period: zero when nothing runs it (unscheduled, finished, no agent). */
export function podGracePeriod(pod: StoredObject, request: DeletionRequest, context: DeletionContext): number {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName || !context.nodeHasAgent(nodeName)) return 0;
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return 0;
  const requested = request.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, requested);
}

export function decideDeletion(object: StoredObject, request: DeletionRequest, context: DeletionContext): DeletionDecision {
  const metadata = object.metadata;
  const finalizers = [...(metadata.finalizers ?? [])];
  if (request.propagationPolicy === "Foreground" && !finalizers.includes(foregroundFinalizer)) finalizers.push(foregroundFinalizer);
  if (request.propagationPolicy === "Orphan" && !finalizers.includes(orphanFinalizer)) finalizers.push(orphanFinalizer);
  if (object.kind === "Namespace") return markNamespace(object, context);
  const grace = object.kind === "Pod" ? podGracePeriod(object, request, context) : 0;

  if (metadata.deletionTimestamp) {
    // Already terminating: only a shorter grace period (or a force delete) changes anything.
    const current = Number(metadata.deletionGracePeriodSeconds ?? 0);
    if (grace === 0 && finalizers.length === 0) return { action: "remove" };
    if (object.kind === "Pod" && grace < current) {
      const deadline = new Date(context.now.getTime() + grace * 1000);
      return { action: "mark", object: withMeta(object, { deletionTimestamp: timestamp(deadline), deletionGracePeriodSeconds: grace, finalizers }) };
    }
    if (finalizers.length !== (metadata.finalizers ?? []).length) return { action: "mark", object: withMeta(object, { finalizers }) };
    return { action: "none" };
  }
  if (grace === 0 && finalizers.length === 0) return { action: "remove" };
  const deadline = new Date(context.now.getTime() + grace * 1000);
  return {
    action: "mark",
    object: withMeta(object, { deletionTimestamp: timestamp(deadline), deletionGracePeriodSeconds: grace, finalizers }),
  };
}

function markNamespace(namespace: StoredObject, context: DeletionContext): DeletionDecision {
  if (namespace.metadata.deletionTimestamp) return { action: "none" };
  const marked = withMeta(namespace, { deletionTimestamp: timestamp(context.now), deletionGracePeriodSeconds: 0 });
  marked.status = { ...namespace.status, phase: "Terminating" };
  return { action: "mark", object: marked };
}

function withMeta(object: StoredObject, changes: Record<string, unknown>): StoredObject {
  const metadata = { ...object.metadata, ...changes };
  if (Array.isArray(metadata.finalizers) && metadata.finalizers.length === 0) delete metadata.finalizers;
  return { ...object, metadata };
}

/**
 * After an update of an object being deleted: is it time to remove it? Yes once no finalizer
 * holds it, unless it is a pod that a node agent is still stopping.
 */
export function readyToRemove(object: StoredObject, context: DeletionContext): boolean {
  if (!object.metadata.deletionTimestamp) return false;
  if ((object.metadata.finalizers ?? []).length > 0) return false;
  if (object.kind === "Namespace") return (object.spec?.finalizers ?? []).length === 0;
  if (object.kind !== "Pod") return true;
  return podGracePeriod(object, {}, context) === 0 || object.metadata.deletionGracePeriodSeconds === 0;
}
