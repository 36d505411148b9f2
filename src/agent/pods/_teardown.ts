// The end of a pod. Deletion: SIGTERM, the grace period, SIGKILL, everything released, then the
// kubelet's final delete of the Pod object (only once its finalizers are gone) and, for a
// Fargate pod, its Node and Lease. A pod that completes keeps its object and logs but gives its
// sandbox back. Also here: writing the pod's status (optimistic, retried on conflict).

import type { Pod } from "../../domain/kube/mod.js";
import { rmSync } from "node:fs";
import { isMoorError } from "../../errors/mod.js";
import type { AgentPort } from "../port/mod.js";
import { readExit, removeContainer, signalContainer } from "../sandboxes/mod.js";
import type { PodWorker } from "./_worker.js";
import { destroySandbox } from "../sandboxes/mod.js";
import { podStatus } from "./_status.js";
import { isFargateNode, subnetOfState } from "./_setup.js";
import { releaseVolumes } from "../volumes/mod.js";
import { capacityAnnotation } from "../../domain/fargate/mod.js";

const conflictRetriesMax = 8;
const pollMs = 50;

export async function terminatePod(worker: PodWorker, pod: Pod | undefined): Promise<void> {
  const state = worker.state;
  const { context } = worker;
  if (state) {
    const graceSeconds = pod ? pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30 : 0;
    await stopContainers(worker, pod, Number(graceSeconds) * 1000);
    await releaseSandbox(worker);
  }
  if (pod && !(await deletePodObject(context.port, pod))) return;
  worker.stop();
  rmSync(context.layout.podDir(worker.uid), { recursive: true, force: true });
  if (state?.fargate) await deleteFargateNode(context.port, state.nodeName, worker.uid);
}

export async function finishTerminal(worker: PodWorker): Promise<void> {
  await stopContainers(worker, undefined, 0);
  await releaseSandbox(worker);
}

async function releaseSandbox(worker: PodWorker): Promise<void> {
  const state = worker.state!;
  const { context } = worker;
  for (const probes of worker.probes.values()) probes.stop();
  worker.probes.clear();
  await releaseVolumes(context.layout.podDir(state.uid), [...worker.volumes.values()]);
  worker.volumes.clear();
  if (state.sandboxReady && !state.sandboxRemoved) {
    await destroySandbox(context.layout, context.network, { uid: state.uid, subnet: subnetOfState(context, state), staticIp: state.staticIp });
    state.sandboxRemoved = true;
  }
}

/** SIGTERM every running container, SIGKILL what remains after the grace period, reap all. */
async function stopContainers(worker: PodWorker, pod: Pod | undefined, graceMs: number): Promise<void> {
  const { context } = worker;
  const running = Object.values(worker.state!.containers).filter((entry) => entry.current);
  if (running.length === 0) return;
  const exited = () => running.every((entry) => readExit(worker.containerDir(entry.current!.id)));
  for (const entry of running) {
    entry.killedFor = "deletion";
    if (pod) context.recorder.record(pod, "Normal", "Killing", `Stopping container ${entry.name}`);
    await signalContainer(context.layout, entry.current!.id, "TERM");
  }
  await waitUntil(exited, graceMs);
  for (const entry of running) if (!readExit(worker.containerDir(entry.current!.id))) await signalContainer(context.layout, entry.current!.id, "KILL");
  await waitUntil(exited, context.timing.killWaitMs);
  const livePod = pod ?? (await context.port.pod(worker.key.namespace, worker.key.name));
  if (livePod) await worker.reapExits(livePod, worker.state!);
  for (const entry of running) {
    // A container whose monitor never reported (killed with it) is removed all the same.
    if (!entry.current) continue;
    await removeContainer(context.layout, worker.containerDir(entry.current.id), entry.current.id);
    entry.current = undefined;
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, pollMs));
}

/** The kubelet's final delete; false while finalizers hold the object. */
async function deletePodObject(port: AgentPort, pod: Pod): Promise<boolean> {
  for (let attempt = 0; attempt < conflictRetriesMax; attempt++) {
    const current = await port.pod(pod.metadata.namespace ?? "default", pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return true;
    if ((current.metadata.finalizers ?? []).length > 0) return false;
    try {
      await port.deletePod(current.metadata.namespace ?? "default", current.metadata.name, { expectedRevision: current.metadata.resourceVersion });
      return true;
    } catch (error) {
      if (!isMoorError(error) || (error.category !== "Conflict" && error.category !== "NotFound")) throw error;
    }
  }
  return false;
}

/** A Fargate node lives exactly as long as its pod. */
async function deleteFargateNode(port: AgentPort, nodeName: string, podUid: string): Promise<void> {
  const node = await port.node(nodeName);
  if (!node || !isFargateNode(node)) return;
  const owner = node.metadata.annotations?.["moor.dev/pod-uid"];
  if (owner && owner !== podUid) return;
  if ((await port.podsOnNode(nodeName)).some((other) => other.metadata.uid !== podUid)) return;
  for (const remove of [() => port.deleteNode(nodeName), () => port.deleteLease(nodeName)]) {
    try {
      await remove();
    } catch (error) {
      if (!isMoorError(error) || error.category !== "NotFound") throw error;
    }
  }
}

/** Writes the pod's status (and its Fargate size annotation) when it changed. */
export async function publishStatus(worker: PodWorker, pod: Pod): Promise<void> {
  const { port } = worker.context;
  const state = worker.state!;
  for (let attempt = 0; attempt < conflictRetriesMax; attempt++) {
    const current = attempt === 0 ? pod : await port.pod(pod.metadata.namespace ?? "default", pod.metadata.name);
    if (!current || current.metadata.uid !== state.uid) return;
    const status = { ...current.status, ...podStatus(current, state) };
    const annotations = { ...current.metadata.annotations };
    if (state.size.annotation) annotations[capacityAnnotation] = state.size.annotation;
    const annotationsChanged = annotations[capacityAnnotation] !== current.metadata.annotations?.[capacityAnnotation];
    if (!annotationsChanged && sameJson(status, current.status)) return;
    try {
      await port.updatePod({ ...current, metadata: { ...current.metadata, annotations }, status }, { expectedRevision: current.metadata.resourceVersion });
      return;
    } catch (error) {
      if (!isMoorError(error) || error.category !== "Conflict") throw error;
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, entry]) => [key, sorted(entry)]));
  }
  return value;
}
