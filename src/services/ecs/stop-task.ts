// StopTask: desired status STOPPED with stopCode UserInitiated and the caller's reason;
// controllers/ecs then takes the task through DEACTIVATING, STOPPING and DEPROVISIONING.

import { clusterOfArn, lastSegmentOf } from "../../domain/ecs/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type CallContext, type EcsContext, parameterError, requireCluster, taskKind } from "./_context.js";
import { taskOutput } from "./_describe.js";

/** Asks a task to stop (once: a second request keeps the first reason). */
export function requestStop(context: EcsContext, task: StoredObject, stopCode: string, reason: string): StoredObject {
  if (task.spec?.desiredStatus === "STOPPED") return task;
  return context.store.update({ ...task, spec: { ...task.spec, desiredStatus: "STOPPED", stopCode, stoppedReason: reason, stoppingAt: context.now().toISOString() } });
}

export function stopTask(context: EcsContext, input: { cluster?: string; task: string; reason?: string }, _call?: CallContext) {
  return context.store.transaction(() => {
    const cluster = requireCluster(context, input.cluster).metadata.name;
    const inCluster = clusterOfArn(input.task) ?? cluster;
    const task = inCluster === cluster ? context.store.get({ kind: taskKind, namespace: cluster, name: lastSegmentOf(input.task) }) : undefined;
    if (!task) throw parameterError("The referenced task was not found.");
    const stopped = requestStop(context, task, "UserInitiated", input.reason ?? "Task stopped by user");
    return { task: taskOutput(context, stopped, ["TAGS"]) };
  });
}
