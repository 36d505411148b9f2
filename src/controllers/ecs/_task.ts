// One task's reconcile: write its pod, follow the pod into the task's lastStatus, and once the
// task must stop (StopTask, an essential container's exit, a failed start) take it through
// DEACTIVATING → STOPPING (the pod deleted with its grace period) → DEPROVISIONING (the
// interface detached, claims removed) → STOPPED. A STOPPED task is kept for an hour, as ECS
// shows stopped tasks, then forgotten.

import type { Clock } from "../../clock/mod.js";
import { decideDeletion } from "../../domain/kube/mod.js";
import {
  containerProgress,
  nextHealthJudgement,
  type ContainerDefinition,
  efsMountFailureReason,
  parseCpuUnits,
  parseMemoryMiB,
  startedStatus,
  type StopCause,
  stopCauseOf,
  taskNamespace,
  taskPod,
  taskPodName,
  volumeName,
  type Volume,
} from "../../domain/ecs/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { ensureClaims, removeClaims } from "./_claims.js";
import { deregisterTargets, registerTargets, type TargetGroupPort } from "./_targets.js";

export interface TaskContext {
  store: Store;
  clock: Clock;
  region: string;
  /** A service's load balancers' target groups, which its RUNNING tasks join. */
  targetGroups?: TargetGroupPort;
}

/** How long a STOPPED task stays describable. */
export const stoppedRetentionMs = 60 * 60 * 1000;
const stepDelayMs = 20;
const startedStates = ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"];

export function reconcileTask(context: TaskContext, cluster: string, taskId: string): number | void {
  const { store } = context;
  const task = store.get({ kind: "EcsTask", namespace: cluster, name: taskId });
  const pod = store.get({ kind: "Pod", namespace: taskNamespace, name: taskPodName(taskId) });
  if (!task) {
    if (pod) deletePod(context, pod);
    return;
  }
  const lastStatus = String(task.status?.lastStatus ?? "PROVISIONING");
  if (lastStatus === "STOPPED") return forgetLater(context, task, pod);
  if (task.spec?.desiredStatus !== "STOPPED") {
    if (!pod && lastStatus === "PROVISIONING") return void createPod(context, task);
    const cause = pod ? stopCauseOf(pod, essentialNames(task)) ?? mountFailure(context, task, pod) : lostSandbox();
    if (!cause) return follow(context, task, pod!);
    return void markStopping(context, task, pod, cause);
  }
  return stop(context, task, pod);
}

function essentialNames(task: StoredObject): string[] {
  return (task.spec?.containerDefinitions as ContainerDefinition[]).filter((container) => container.essential !== false).map((container) => container.name!);
}

function lostSandbox(): StopCause {
  return { stopCode: "TaskFailedToStart", stoppedReason: "Task failed to start: its sandbox was removed" };
}

function createPod(context: TaskContext, task: StoredObject): void {
  const { store } = context;
  const spec = task.spec ?? {};
  store.transaction(() => {
    if (!store.get({ kind: "Namespace", name: taskNamespace })) {
      store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: taskNamespace }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
    }
    const volumes = (spec.volumes ?? []) as Volume[];
    const claims = ensureClaims(store, task.metadata.name, volumes);
    store.create(
      taskPod({
        cluster: task.metadata.namespace ?? "",
        taskId: task.metadata.name,
        region: context.region,
        cpuUnits: parseCpuUnits(String(spec.cpu)) ?? 256,
        memoryMiB: parseMemoryMiB(String(spec.memory)) ?? 512,
        subnetId: spec.subnetId,
        securityGroupIds: spec.securityGroupIds ?? [],
        taskRoleArn: spec.taskRoleArn,
        containers: spec.containerDefinitions,
        overrides: spec.overrides?.containerOverrides,
        claims,
        volumes,
        containerIds: Object.fromEntries(((spec.containers ?? []) as { name: string; containerId: string }[]).map((container) => [container.name, container.containerId])),
        ...(spec.credentialsId ? { credentialsId: spec.credentialsId } : {}),
      }),
    );
  });
}

/** Writes the task's status if it changed; `version` counts the changes, as ECS's does. */
function writeStatus(context: TaskContext, task: StoredObject, changes: Record<string, unknown>, spec?: Record<string, unknown>): void {
  const status = { ...task.status, ...changes };
  const specChanged = spec !== undefined && Object.entries(spec).some(([key, value]) => task.spec?.[key] !== value);
  if (!specChanged && JSON.stringify(status) === JSON.stringify(task.status)) return;
  status.version = Number(task.status?.version ?? 1) + 1;
  context.store.update({ ...task, ...(spec ? { spec: { ...task.spec, ...spec } } : {}), status });
}

/** Writes the pod's progress as the task's; answers when to look again for a container whose health is still to be judged. */
function follow(context: TaskContext, task: StoredObject, pod: StoredObject): number | void {
  const nowMs = context.clock.now().getTime();
  const now = new Date(nowMs).toISOString();
  const next = startedStatus(pod, essentialNames(task));
  const previous = task.status ?? {};
  const address = pod.status?.podIP as string | undefined;
  const containers = { ...previous.containers, ...containerProgress(pod, previous.containers, nowMs) };
  writeStatus(context, task, {
    lastStatus: startedStates.indexOf(next) >= startedStates.indexOf(String(previous.lastStatus)) ? next : previous.lastStatus,
    containers,
    ...(address && !previous.privateIPv4Address ? interfaceOf(task, address, now) : {}),
    ...(next === "ACTIVATING" && !previous.pullStartedAt ? { pullStartedAt: now } : {}),
    ...(next === "RUNNING" && !previous.startedAt ? { pullStoppedAt: previous.pullStartedAt ?? now, pullStartedAt: previous.pullStartedAt ?? now, startedAt: now } : {}),
  });
  const current = context.store.get({ kind: "EcsTask", namespace: task.metadata.namespace ?? "", name: task.metadata.name });
  if (current?.status?.lastStatus === "RUNNING") registerTargets(context.targetGroups, current);
  const judgeAtMs = nextHealthJudgement(pod, containers, nowMs);
  if (judgeAtMs !== undefined) return Math.max(stepDelayMs, judgeAtMs - nowMs);
}

/** The task's ENI as ECS describes it, from the pod's address (the sandbox's interface). */
function interfaceOf(task: StoredObject, address: string, now: string) {
  const octets = address.split(".").map(Number);
  const mac = ["0e", "4d", ...octets.map((octet) => octet.toString(16).padStart(2, "0"))].join(":");
  return {
    privateIPv4Address: address,
    networkInterfaceId: `eni-${task.metadata.name.slice(0, 17)}`,
    macAddress: mac,
    privateDnsName: `ip-${address.replaceAll(".", "-")}.${String(task.spec?.availabilityZone ?? "").slice(0, -1)}.compute.internal`,
    attachmentStatus: "ATTACHED",
    connectivityAt: now,
  };
}

/** A FailedMount the agent recorded for this pod, as ECS's ResourceInitializationError. */
function mountFailure(context: TaskContext, task: StoredObject, pod: StoredObject): StopCause | undefined {
  const event = context.store
    .list("Event", { namespace: taskNamespace })
    .items.find((candidate) => candidate.reason === "FailedMount" && (candidate.involvedObject as { uid?: string } | undefined)?.uid === pod.metadata.uid);
  if (!event) return undefined;
  const message = String(event.message ?? "");
  const volumes = (task.spec?.volumes ?? []) as Volume[];
  const failed = volumes.find((volume) => message.includes(`"${volumeName(volume.name ?? "")}"`)) ?? volumes.find((volume) => volume.efsVolumeConfiguration);
  const fileSystemId = failed?.efsVolumeConfiguration?.fileSystemId ?? "fs-unknown";
  return { stopCode: "TaskFailedToStart", stoppedReason: efsMountFailureReason(message, fileSystemId, context.region) };
}

function markStopping(context: TaskContext, task: StoredObject, pod: StoredObject | undefined, cause: StopCause): void {
  const now = context.clock.now().toISOString();
  writeStatus(
    context,
    task,
    { ...(pod ? { containers: { ...task.status?.containers, ...containerProgress(pod, task.status?.containers, context.clock.now().getTime()) } } : {}), stopCode: cause.stopCode, stoppedReason: cause.stoppedReason, stoppingAt: now },
    { desiredStatus: "STOPPED" },
  );
}

function stop(context: TaskContext, task: StoredObject, pod: StoredObject | undefined): number | void {
  const now = context.clock.now().toISOString();
  const lastStatus = String(task.status?.lastStatus ?? "PROVISIONING");
  const containers = pod ? { ...task.status?.containers, ...containerProgress(pod, task.status?.containers, context.clock.now().getTime()) } : task.status?.containers;
  if (startedStates.includes(lastStatus)) {
    // Deregistered first; the containers stop once the target groups have drained it.
    const drainMs = lastStatus === "RUNNING" ? deregisterTargets(context.targetGroups, task) : 0;
    const drainedAt = new Date(context.clock.now().getTime() + drainMs).toISOString();
    writeStatus(context, task, { lastStatus: "DEACTIVATING", stoppingAt: task.status?.stoppingAt ?? task.spec?.stoppingAt ?? now, containers, ...(drainMs > 0 ? { drainedAt } : {}) });
    return Math.max(stepDelayMs, drainMs);
  }
  if (lastStatus === "DEACTIVATING") {
    const drainLeftMs = Date.parse(String(task.status?.drainedAt ?? "")) - context.clock.now().getTime();
    if (drainLeftMs > 0) return drainLeftMs;
    if (pod) deletePod(context, pod);
    writeStatus(context, task, { lastStatus: "STOPPING", containers });
    return stepDelayMs;
  }
  if (lastStatus === "STOPPING") {
    if (pod) {
      deletePod(context, pod);
      writeStatus(context, task, { containers });
      return 1_000;
    }
    writeStatus(context, task, { lastStatus: "DEPROVISIONING", executionStoppedAt: now, attachmentStatus: "DETACHING" });
    return stepDelayMs;
  }
  removeClaims(context.store, task.metadata.name, (task.spec?.volumes ?? []) as Volume[]);
  const stopped = Object.fromEntries(Object.entries((containers ?? {}) as Record<string, object>).map(([name, progress]) => [name, { ...progress, lastStatus: "STOPPED" }]));
  for (const container of (task.spec?.containers ?? []) as { name: string }[]) stopped[container.name] ??= { lastStatus: "STOPPED" };
  writeStatus(context, task, { lastStatus: "STOPPED", stoppedAt: now, attachmentStatus: "DELETED", containers: stopped });
}

function deletePod(context: TaskContext, pod: StoredObject): void {
  const { store } = context;
  const nodeHasAgent = (nodeName: string) => Boolean(store.get({ kind: "Node", name: nodeName })?.metadata.labels?.["moor.dev/agent"]);
  const decision = decideDeletion(pod, {}, { now: context.clock.now(), nodeHasAgent });
  const key = { kind: "Pod", namespace: taskNamespace, name: pod.metadata.name };
  if (decision.action === "remove") store.delete(key);
  else if (decision.action === "mark") store.update(decision.object);
}

function forgetLater(context: TaskContext, task: StoredObject, pod: StoredObject | undefined): number | void {
  if (pod) deletePod(context, pod);
  const stoppedAt = Date.parse(String(task.status?.stoppedAt ?? ""));
  const left = stoppedAt + stoppedRetentionMs - context.clock.now().getTime();
  if (Number.isNaN(left) || left <= 0) {
    context.store.delete({ kind: "EcsTask", namespace: task.metadata.namespace ?? "", name: task.metadata.name });
    return;
  }
  return left;
}
