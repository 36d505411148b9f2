// Table columns per kind, as upstream's printers define them (priority 1 = `-o wide` only), and
// the cells they print. Cells are strings formatted here: kubectl prints them as sent.

import { formatAge, selectorString } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { age, type Column, containerImages, containerNames, nameColumn, none, type Printer } from "./_cells.js";
import { moreColumns } from "./_columns-more.js";

export type { Column, Printer };

const wide = (name: string): Column => ({ name, priority: 1 });
const col = (name: string): Column => ({ name, priority: 0 });

/** Upstream's pod STATUS column: the most telling reason of init and app containers. */
/** `3 (5m ago)`: restarts, with the age of the latest one as upstream prints it. */
function restartsText(pod: StoredObject, restarts: number, now: Date): string {
  if (restarts === 0) return "0";
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const finished = statuses.map((status) => Date.parse(status.lastState?.terminated?.finishedAt ?? "")).filter((time) => !Number.isNaN(time));
  if (finished.length === 0) return String(restarts);
  return `${restarts} (${formatAge((now.getTime() - Math.max(...finished)) / 1000)} ago)`;
}

function podStatus(pod: StoredObject): { reason: string; ready: number; restarts: number } {
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || "Pending";
  let restarts = 0;
  let ready = 0;
  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  for (const [index, container] of initStatuses.entries()) {
    restarts += container.restartCount ?? 0;
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    initializing = true;
    if (terminated) reason = terminated.reason ? `Init:${terminated.reason}` : terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
    else if (waiting?.reason && waiting.reason !== "PodInitializing") reason = `Init:${waiting.reason}`;
    else reason = `Init:${index}/${(pod.spec?.initContainers ?? []).length}`;
    break;
  }
  if (!initializing) {
    restarts = 0;
    let running = false;
    for (const container of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += container.restartCount ?? 0;
      const state = container.state ?? {};
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated?.reason) reason = state.terminated.reason;
      else if (state.terminated) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode}`;
      else if (container.ready && state.running) {
        running = true;
        ready++;
      }
    }
    if (reason === "Completed" && running) {
      const readyCondition = (status.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
      reason = readyCondition ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === "NodeLost" ? "Unknown" : "Terminating";
  return { reason, ready, restarts };
}

const printers: Record<string, Printer> = {
  Pod: {
    columns: [nameColumn, col("Ready"), col("Status"), col("Restarts"), col("Age"), wide("IP"), wide("Node"), wide("Nominated Node"), wide("Readiness Gates")],
    cells: (pod, now) => {
      const { reason, ready, restarts } = podStatus(pod);
      const gates: any[] = pod.spec?.readinessGates ?? [];
      const gateText = gates.length
        ? `${gates.filter((gate) => (pod.status?.conditions ?? []).some((c: any) => c.type === gate.conditionType && c.status === "True")).length}/${gates.length}`
        : none;
      return [
        pod.metadata.name,
        `${ready}/${(pod.spec?.containers ?? []).length}`,
        reason,
        restartsText(pod, restarts, now),
        age(pod, now),
        pod.status?.podIP || none,
        pod.spec?.nodeName || none,
        pod.status?.nominatedNodeName || none,
        gateText,
      ];
    },
  },
  Deployment: {
    columns: [nameColumn, col("Ready"), col("Up-to-date"), col("Available"), col("Age"), wide("Containers"), wide("Images"), wide("Selector")],
    cells: (deployment, now) => [
      deployment.metadata.name,
      `${deployment.status?.readyReplicas ?? 0}/${deployment.spec?.replicas ?? 0}`,
      String(deployment.status?.updatedReplicas ?? 0),
      String(deployment.status?.availableReplicas ?? 0),
      age(deployment, now),
      containerNames(deployment.spec?.template?.spec),
      containerImages(deployment.spec?.template?.spec),
      selectorString(deployment.spec?.selector) || none,
    ],
  },
  ReplicaSet: {
    columns: [nameColumn, col("Desired"), col("Current"), col("Ready"), col("Age"), wide("Containers"), wide("Images"), wide("Selector")],
    cells: (set, now) => [
      set.metadata.name,
      String(set.spec?.replicas ?? 0),
      String(set.status?.replicas ?? 0),
      String(set.status?.readyReplicas ?? 0),
      age(set, now),
      containerNames(set.spec?.template?.spec),
      containerImages(set.spec?.template?.spec),
      selectorString(set.spec?.selector) || none,
    ],
  },
  StatefulSet: {
    columns: [nameColumn, col("Ready"), col("Age"), wide("Containers"), wide("Images")],
    cells: (set, now) => [
      set.metadata.name,
      `${set.status?.readyReplicas ?? 0}/${set.spec?.replicas ?? 0}`,
      age(set, now),
      containerNames(set.spec?.template?.spec),
      containerImages(set.spec?.template?.spec),
    ],
  },
  Job: {
    columns: [nameColumn, col("Status"), col("Completions"), col("Duration"), col("Age"), wide("Containers"), wide("Images"), wide("Selector")],
    cells: (job, now) => {
      const conditions: any[] = job.status?.conditions ?? [];
      const has = (type: string) => conditions.some((c) => c.type === type && c.status === "True");
      const statusText = has("Complete") ? "Complete" : has("Failed") ? "Failed" : has("FailureTarget") ? "FailureTarget" : has("Suspended") ? "Suspended" : "Running";
      const completions = job.spec?.completions !== undefined ? `${job.status?.succeeded ?? 0}/${job.spec.completions}` : `${job.status?.succeeded ?? 0}/1 of ${job.spec?.parallelism ?? 1}`;
      const start = job.status?.startTime;
      const end = job.status?.completionTime;
      const duration = start ? formatAge(((end ? Date.parse(end) : now.getTime()) - Date.parse(start)) / 1000) : "";
      return [
        job.metadata.name,
        statusText,
        completions,
        duration,
        age(job, now),
        containerNames(job.spec?.template?.spec),
        containerImages(job.spec?.template?.spec),
        selectorString(job.spec?.selector) || none,
      ];
    },
  },
  ...moreColumns,
};

const fallback: Printer = {
  columns: [nameColumn, col("Age")],
  cells: (object, now) => [object.metadata.name, age(object, now)],
};

export function printerFor(kind: string): Printer {
  return printers[kind] ?? fallback;
}
