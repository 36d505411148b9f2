// The PodStatus the agent reports, computed from its view of the pod (PodState) as the kubelet
// computes it: phase, the five conditions, and container statuses with their states.

import type { Container, Pod, PodCondition } from "../../domain/kube/mod.js";
import type { ContainerRecord, PodState, Terminated } from "./_state.js";

type Phase = "Pending" | "Running" | "Succeeded" | "Failed";

function stateOf(record: ContainerRecord | undefined, waitingReason: string): object {
  if (record?.current) return { running: { startedAt: stamp(record.current.startedAt) } };
  if (record?.terminated && !record.waiting) return { terminated: terminatedState(record.terminated) };
  return { waiting: { reason: record?.waiting?.reason ?? waitingReason, ...(record?.waiting?.message ? { message: record.waiting.message } : {}) } };
}

function terminatedState(terminated: Terminated): object {
  return {
    exitCode: terminated.exitCode,
    ...(terminated.signal ? { signal: terminated.signal } : {}),
    reason: terminated.reason,
    ...(terminated.message ? { message: terminated.message } : {}),
    startedAt: stamp(terminated.startedAt),
    finishedAt: stamp(terminated.finishedAt),
    containerID: terminated.containerID,
  };
}

function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, "Z");
}

function containerStatus(container: Container, record: ContainerRecord | undefined, waitingReason: string, terminal: boolean): object {
  const last = record?.lastTerminated;
  const id = record?.current?.id ?? record?.terminated?.containerID.replace(/^runc:\/\//, "");
  return {
    name: container.name,
    state: stateOf(record, waitingReason),
    lastState: last ? { terminated: terminatedState(last) } : {},
    ready: !terminal && !!record?.current && !!record.ready,
    restartCount: record?.restartCount ?? 0,
    image: container.image,
    imageID: record?.imageId ?? "",
    ...(id ? { containerID: id.startsWith("runc://") ? id : `runc://${id}` } : {}),
    started: !terminal && !!record?.current && !!record.started,
  };
}

export function initDone(pod: Pod, state: PodState): boolean {
  return (pod.spec?.initContainers ?? []).every((container: Container) => {
    const record = state.containers[container.name];
    return record?.terminated?.exitCode === 0 && !record.current && !record.waiting;
  });
}

export function podPhase(pod: Pod, state: PodState): Phase {
  const policy = pod.spec?.restartPolicy ?? "Always";
  const inits = pod.spec?.initContainers ?? [];
  const initFailed = inits.some((container) => {
    const record = state.containers[container.name];
    return policy === "Never" && record?.terminated && record.terminated.exitCode !== 0 && !record.current;
  });
  if (initFailed) return "Failed";
  if (!initDone(pod, state)) return "Pending";
  let pending = 0;
  let running = 0;
  let succeeded = 0;
  let failed = 0;
  for (const container of pod.spec?.containers ?? []) {
    const record = state.containers[container.name];
    if (record?.current) running++;
    else if (record?.terminated && !record.waiting) record.terminated.exitCode === 0 ? succeeded++ : failed++;
    else if (record?.lastTerminated) running++;
    else pending++;
  }
  if (pending > 0) return "Pending";
  if (running > 0) return "Running";
  if (policy === "Always") return "Running";
  return failed > 0 ? "Failed" : "Succeeded";
}

interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

export function podStatus(pod: Pod, state: PodState): Record<string, unknown> {
  const phase = state.terminal ?? podPhase(pod, state);
  const terminal = phase === "Succeeded" || phase === "Failed";
  const inits = pod.spec?.initContainers ?? [];
  const apps = pod.spec?.containers ?? [];
  const initialized = initDone(pod, state);
  const appWaiting = initialized ? "ContainerCreating" : "PodInitializing";
  const initStatuses = inits.map((container) => containerStatus(container, state.containers[container.name], "PodInitializing", terminal));
  const statuses = apps.map((container) => containerStatus(container, state.containers[container.name], appWaiting, terminal));
  const unready = apps.filter((_, index) => !(statuses[index] as { ready: boolean }).ready).map((container) => container.name);
  const incompleteInits = inits.filter((container) => state.containers[container.name]?.terminated?.exitCode !== 0).map((container) => container.name);
  const conditions: Condition[] = [
    { type: "PodReadyToStartContainers", status: state.sandboxReady && !state.sandboxRemoved ? "True" : "False" },
    initialized
      ? { type: "Initialized", status: "True" }
      : { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${incompleteInits.join(" ")}]` },
    readiness("ContainersReady", unready, terminal),
    readiness("Ready", unready, terminal),
  ];
  return {
    phase,
    conditions: mergeConditions(pod.status?.conditions ?? [], conditions),
    ...(state.hostIp ? { hostIP: state.hostIp, hostIPs: [{ ip: state.hostIp }] } : {}),
    ...(state.ip ? { podIP: state.ip, podIPs: [{ ip: state.ip }] } : {}),
    startTime: stamp(state.startTime),
    ...(inits.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: qosClass(pod),
  };
}

function readiness(type: string, unready: string[], terminal: boolean): Condition {
  if (terminal) return { type, status: "False", reason: "PodCompleted" };
  if (unready.length === 0) return { type, status: "True" };
  return { type, status: "False", reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` };
}

/** Keeps the scheduler's PodScheduled and each condition's transition time while it holds. */
function mergeConditions(existing: PodCondition[], ours: Condition[]): object[] {
  const now = stamp(new Date().toISOString());
  const kept = existing.filter((condition) => !ours.some((own) => own.type === condition.type));
  const merged = ours.map((condition) => {
    const previous = existing.find((entry) => entry.type === condition.type);
    const same = previous && previous.status === condition.status;
    return { ...condition, lastProbeTime: null, lastTransitionTime: same ? previous.lastTransitionTime : now };
  });
  const order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];
  return [...kept, ...merged].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

export function qosClass(pod: Pod): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const resources = containers.map((container) => container.resources ?? {});
  const any = resources.some((entry) => Object.keys(entry.requests ?? {}).length > 0 || Object.keys(entry.limits ?? {}).length > 0);
  if (!any) return "BestEffort";
  const guaranteed = resources.every((entry) =>
    ["cpu", "memory"].every((name) => entry.limits?.[name] !== undefined && (entry.requests?.[name] ?? entry.limits[name]) === entry.limits[name]),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}
