// The Job controller: runs pods until `completions` succeed (NonIndexed or Indexed), at most
// `parallelism` at a time; fails the job past `backoffLimit` failed pods or
// `activeDeadlineSeconds`; honours `suspend`; deletes a finished job after
// `ttlSecondsAfterFinished`.

import type { Recorder } from "../../events/mod.js";
import { isPodActive, isPodReady } from "../../domain/kube/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { acceptsContent, type Sources, controllerOf, controllerUid, createGeneratedPod, deleteWithRules, keysOfKind, podFromTemplate, timestamp, writeIfChanged } from "./_objects.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";

const indexAnnotation = "batch.kubernetes.io/job-completion-index";

export function createJobReconciler(store: Store, clock: Sources, recorder: Recorder): Controller {
  return {
    name: "job-controller",
    kinds: ["Job", "Pod"],
    allKeys: () => keysOfKind(store, "Job"),
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "Job") return [objectKey(keyOf(object))];
      const owner = object.kind === "Pod" ? controllerOf(object) : undefined;
      return owner?.kind === "Job" ? [objectKey({ kind: "Job", namespace: object.metadata.namespace, name: owner.name })] : [];
    },
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const job = store.get({ kind: "Job", namespace, name });
      if (job) return syncJob(store, clock, recorder, job);
    },
  };
}

function finished(job: StoredObject): string | undefined {
  const done = (job.status?.conditions ?? []).find((condition: any) => (condition.type === "Complete" || condition.type === "Failed") && condition.status === "True");
  return done?.type;
}

function condition(type: string, reason: string, message: string, now: string) {
  return { type, status: "True", lastProbeTime: now, lastTransitionTime: now, reason, message };
}

function syncJob(store: Store, clock: Sources, recorder: Recorder, job: StoredObject): number | void {
  const now = clock.now();
  const stamp = timestamp(now);
  if (finished(job)) return expire(store, clock, job, now);
  if (job.metadata.deletionTimestamp) return;
  const pods = store.list("Pod", { namespace: job.metadata.namespace }).items.filter((pod) => controllerUid(pod) === job.metadata.uid);
  const active = pods.filter(isPodActive);
  const succeededPods = pods.filter((pod) => pod.status?.phase === "Succeeded");
  const succeeded = Math.max(job.status?.succeeded ?? 0, succeededPods.length);
  const failed = Math.max(job.status?.failed ?? 0, pods.filter((pod) => pod.status?.phase === "Failed").length);
  const spec = job.spec ?? {};
  const status: any = { ...job.status, succeeded, failed, ready: active.filter(isPodReady).length, terminating: pods.filter((pod) => pod.metadata.deletionTimestamp).length };
  const conditions: any[] = (status.conditions ?? []).filter((item: any) => item.type !== "Suspended");
  let again: number | undefined;

  const stopAll = () => {
    for (const pod of active) deleteWithRules(store, clock, pod);
    active.length = 0;
  };
  const fail = (reason: string, message: string) => {
    stopAll();
    conditions.push(condition("FailureTarget", reason, message, stamp), condition("Failed", reason, message, stamp));
    recorder.record(job, "Warning", reason, message);
  };
  if (spec.suspend) {
    stopAll();
    conditions.push({ ...condition("Suspended", "JobSuspended", "Job suspended", stamp) });
    delete status.startTime;
  } else {
    status.startTime ??= stamp;
    const elapsed = (now.getTime() - Date.parse(status.startTime)) / 1000;
    const complete = spec.completions !== undefined ? succeeded >= spec.completions : succeeded > 0 && active.length === 0;
    if (complete) {
      stopAll();
      conditions.push(condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", stamp));
      conditions.push(condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", stamp));
      status.completionTime = stamp;
      recorder.record(job, "Normal", "Completed", "Job completed");
    } else if (failed > (spec.backoffLimit ?? 6)) {
      fail("BackoffLimitExceeded", "Job has reached the specified backoff limit");
    } else if (spec.activeDeadlineSeconds !== undefined && elapsed >= spec.activeDeadlineSeconds) {
      fail("DeadlineExceeded", "Job was active longer than specified deadline");
    } else {
      createPods(store, clock, recorder, job, active, succeededPods);
      if (spec.activeDeadlineSeconds !== undefined) again = Math.max(10, (spec.activeDeadlineSeconds - elapsed) * 1000 + 10);
    }
  }
  status.active = active.length;
  status.conditions = conditions;
  status.uncountedTerminatedPods ??= {};
  if (spec.completionMode === "Indexed") status.completedIndexes = compressIndexes(succeededPods.map((pod) => Number(pod.metadata.annotations?.[indexAnnotation])));
  for (const field of ["succeeded", "failed", "active", "ready", "terminating"]) if (status[field] === 0) delete status[field];
  if (status.conditions.length === 0) delete status.conditions;
  const current = store.get({ kind: "Job", namespace: job.metadata.namespace ?? "", name: job.metadata.name });
  if (current) writeIfChanged(store, clock, { ...current, status }, current);
  return again;
}

function createPods(store: Store, clock: Sources, recorder: Recorder, job: StoredObject, active: StoredObject[], succeededPods: StoredObject[]): void {
  if (!acceptsContent(store, job.metadata.namespace)) return;
  const spec = job.spec;
  const parallelism = spec.parallelism ?? 1;
  const remaining = spec.completions !== undefined ? spec.completions - succeededPods.length : parallelism;
  const wanted = Math.max(0, Math.min(parallelism, remaining));
  let missing = wanted - active.length;
  const indexed = spec.completionMode === "Indexed";
  const taken = new Set([...active, ...succeededPods].map((pod) => Number(pod.metadata.annotations?.[indexAnnotation])));
  for (let index = 0; missing > 0 && (!indexed || index < spec.completions); index++) {
    if (indexed && taken.has(index)) continue;
    const pod = createGeneratedPod(store, () => {
      const made = podFromTemplate(job, spec.template, { generateName: indexed ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`, random: clock.random });
      if (indexed) {
        made.metadata.annotations = { ...made.metadata.annotations, [indexAnnotation]: String(index) };
        made.metadata.labels = { ...made.metadata.labels, [indexAnnotation]: String(index) };
        for (const container of made.spec.containers ?? []) {
          container.env = [...(container.env ?? []), { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${indexAnnotation}']` } } }];
        }
      }
      return made;
    });
    active.push(pod);
    missing--;
    recorder.record(job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
  }
}

/** `0-2,5`: the completed indexes of an Indexed job. */
function compressIndexes(indexes: number[]): string {
  const sorted = [...new Set(indexes.filter((index) => Number.isInteger(index)))].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let index = 0; index < sorted.length; index++) {
    const first = sorted[index]!;
    while (index + 1 < sorted.length && sorted[index + 1] === sorted[index]! + 1) index++;
    ranges.push(first === sorted[index] ? String(first) : `${first}-${sorted[index]}`);
  }
  return ranges.join(",");
}

/** ttlSecondsAfterFinished: a finished job (and, through the collector, its pods) goes away. */
function expire(store: Store, clock: Sources, job: StoredObject, now: Date): number | void {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return;
  const done = (job.status?.conditions ?? []).find((condition: any) => condition.type === "Complete" || condition.type === "Failed");
  const finishedAt = Date.parse(job.status?.completionTime ?? done?.lastTransitionTime ?? "");
  const due = finishedAt + ttl * 1000 - now.getTime();
  if (due > 0) return due + 10;
  deleteWithRules(store, clock, job, "Background");
}
