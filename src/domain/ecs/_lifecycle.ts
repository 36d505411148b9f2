// A task's lifecycle read from its sandbox pod (aws-control-plane.md §7.5): PROVISIONING until
// the pod has a node, PENDING until its interface has an address, ACTIVATING while containers
// start, RUNNING once every essential one runs; and why a task must stop: an essential
// container exited, an image could not be pulled, or a volume could not be mounted. A container
// with a health check (run as the pod's readiness probe) is HEALTHY while the probe passes,
// UNKNOWN while its start period and first `retries` checks run, and UNHEALTHY once `retries`
// checks in a row failed after that (`healthOf`); the task's health is its essential
// containers' (`taskHealthOf`), as ECS reports it.

export interface PodView {
  spec?: { nodeName?: string; containers?: { name: string; readinessProbe?: ProbeView }[]; initContainers?: { name: string }[] };
  status?: {
    phase?: string;
    podIP?: string;
    containerStatuses?: ContainerStatusView[];
    initContainerStatuses?: ContainerStatusView[];
  };
}

export interface ProbeView {
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

export interface ContainerStatusView {
  name: string;
  ready?: boolean;
  containerID?: string;
  state?: {
    running?: { startedAt?: string };
    terminated?: { exitCode?: number; reason?: string; finishedAt?: string };
    waiting?: { reason?: string; message?: string };
  };
}

export interface ContainerProgress {
  lastStatus: "PENDING" | "RUNNING" | "STOPPED";
  exitCode?: number;
  reason?: string;
  runtimeId?: string;
  healthStatus?: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
}

export type StartedStatus = "PROVISIONING" | "PENDING" | "ACTIVATING" | "RUNNING";

export interface StopCause {
  stopCode: "EssentialContainerExited" | "TaskFailedToStart" | "UserInitiated" | "ServiceSchedulerInitiated";
  stoppedReason: string;
}

const pullFailures = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];

function progressOf(status: ContainerStatusView, probe: ProbeView | undefined, previous: ContainerProgress | undefined, nowMs: number): ContainerProgress {
  const runtimeId = status.containerID?.replace(/^[a-z]+:\/\//, "");
  const terminated = status.state?.terminated;
  if (terminated) return { lastStatus: "STOPPED", exitCode: terminated.exitCode, ...(terminated.reason && terminated.reason !== "Completed" && terminated.reason !== "Error" ? { reason: terminated.reason } : {}), ...(runtimeId ? { runtimeId } : {}) };
  if (status.state?.running) return { lastStatus: "RUNNING", ...(runtimeId ? { runtimeId } : {}), healthStatus: probe ? healthOf(status, probe, previous, nowMs).health : "UNKNOWN" };
  return { lastStatus: "PENDING" };
}

/**
 * A running container's health from its probe: HEALTHY while ready; UNHEALTHY when it was judged
 * before (ready once, then `failureThreshold` failures in a row made it unready) or when the
 * start period and `failureThreshold` checks have passed without it ever being ready; UNKNOWN
 * until then, with the time to judge it again.
 */
export function healthOf(status: ContainerStatusView, probe: ProbeView, previous: ContainerProgress | undefined, nowMs: number): { health: "HEALTHY" | "UNHEALTHY" | "UNKNOWN"; judgeAtMs?: number } {
  if (status.ready) return { health: "HEALTHY" };
  if (previous?.healthStatus === "HEALTHY" || previous?.healthStatus === "UNHEALTHY") return { health: "UNHEALTHY" };
  const startedMs = Date.parse(status.state?.running?.startedAt ?? "");
  if (!Number.isFinite(startedMs)) return { health: "UNKNOWN" };
  const seconds = (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) + (probe.timeoutSeconds ?? 1);
  const judgeAtMs = startedMs + seconds * 1000;
  return nowMs >= judgeAtMs ? { health: "UNHEALTHY" } : { health: "UNKNOWN", judgeAtMs };
}

/** Each container's progress by name, init containers included; `previous` and `nowMs` judge health (see healthOf). */
export function containerProgress(pod: PodView, previous: Record<string, ContainerProgress> = {}, nowMs = 0): Record<string, ContainerProgress> {
  const probes = new Map((pod.spec?.containers ?? []).flatMap((container) => (container.readinessProbe ? [[container.name, container.readinessProbe] as const] : [])));
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return Object.fromEntries(statuses.map((status) => [status.name, progressOf(status, probes.get(status.name), previous[status.name], nowMs)]));
}

/** When the health of a container still UNKNOWN is next to be judged; undefined when none waits. */
export function nextHealthJudgement(pod: PodView, previous: Record<string, ContainerProgress>, nowMs: number): number | undefined {
  const times = (pod.spec?.containers ?? []).flatMap((container) => {
    const status = pod.status?.containerStatuses?.find((candidate) => candidate.name === container.name);
    if (!container.readinessProbe || !status?.state?.running) return [];
    const judged = healthOf(status, container.readinessProbe, previous[container.name], nowMs);
    return judged.judgeAtMs !== undefined ? [judged.judgeAtMs] : [];
  });
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The essential containers that have a health check: the ones the task's health is made of. */
export function essentialWithHealthChecks(definitions: readonly { name?: string; essential?: boolean; healthCheck?: unknown }[]): string[] {
  return definitions.filter((definition) => definition.essential !== false && definition.healthCheck).map((definition) => definition.name ?? "");
}

/** The task's health as ECS reports it: UNHEALTHY if an essential container is, HEALTHY if every essential one with a check is, UNKNOWN otherwise. */
export function taskHealthOf(containers: Record<string, { healthStatus?: string } | undefined>, essentialWithChecks: string[]): "HEALTHY" | "UNHEALTHY" | "UNKNOWN" {
  if (essentialWithChecks.length === 0) return "UNKNOWN";
  const states = essentialWithChecks.map((name) => containers[name]?.healthStatus ?? "UNKNOWN");
  if (states.includes("UNHEALTHY")) return "UNHEALTHY";
  return states.every((state) => state === "HEALTHY") ? "HEALTHY" : "UNKNOWN";
}

/** Where a task whose pod still runs stands. */
export function startedStatus(pod: PodView | undefined, essential: string[]): StartedStatus {
  if (!pod?.spec?.nodeName) return "PROVISIONING";
  if (!pod.status?.podIP) return "PENDING";
  const progress = containerProgress(pod);
  const apps = (pod.spec.containers ?? []).map((container) => container.name);
  const running = apps.every((name) => progress[name]?.lastStatus === "RUNNING" || (!essential.includes(name) && progress[name]?.lastStatus === "STOPPED"));
  return running && apps.length > 0 ? "RUNNING" : "ACTIVATING";
}

/** Why the task must stop, read from its pod; undefined while it may go on. */
export function stopCauseOf(pod: PodView, essential: string[]): StopCause | undefined {
  const progress = containerProgress(pod);
  const exited = essential.find((name) => progress[name]?.lastStatus === "STOPPED");
  if (exited) return { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" };
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const pull = statuses.find((status) => pullFailures.includes(status.state?.waiting?.reason ?? ""));
  if (pull) return { stopCode: "TaskFailedToStart", stoppedReason: `CannotPullContainerError: ${pull.state?.waiting?.message ?? `pull image "${pull.name}" failed`}` };
  const failedInit = (pod.status?.initContainerStatuses ?? []).find((status) => (status.state?.terminated?.exitCode ?? 0) !== 0);
  if (failedInit) return { stopCode: "TaskFailedToStart", stoppedReason: `Container ${failedInit.name} that another container depends on exited with code ${failedInit.state?.terminated?.exitCode}` };
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" };
  return undefined;
}

/**
 * ECS's reason for a volume the mount engine refused, from the agent's FailedMount message
 * (`… rpc error: code = <gRPC code> desc = <engine's message>`), in the words the EFS mount
 * helper's failures reach ECS with (aws-semantics.md §5.1, aws-control-plane.md §7.4).
 */
export function efsMountFailureReason(message: string, fileSystemId: string, region: string): string {
  const host = `${fileSystemId}.efs.${region}.amazonaws.com`;
  const code = /code = (\w+)/.exec(message)?.[1];
  const detail =
    code === "PermissionDenied"
      ? `b'mount.nfs4: access denied by server while mounting ${host}:/'`
      : code === "NotFound" && /directory/i.test(message)
        ? `b'mount.nfs4: mounting ${host}:/ failed, reason given by server: No such file or directory'`
        : code === "Unavailable"
          ? `b'Failed to resolve "${host}" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.'`
          : `b'mount.nfs4: ${message.replace(/'/g, "")}'`;
  return `ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: ${detail} : unsuccessful EFS utils command execution; code: 32`;
}
