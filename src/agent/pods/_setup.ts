// What a pod needs before its first container: its place in the VPC and its size (PodState),
// its sandbox, and its volumes (a mount engine failure keeps the pod in ContainerCreating,
// reported as FailedMount, and is retried with back-off until it succeeds).

import type { PodDnsSpec } from "../../domain/dns/mod.js";
import type { Node, Pod } from "../../domain/kube/mod.js";
import { fargateSize } from "../../domain/fargate/mod.js";
import { isMoorError } from "../../errors/mod.js";
import type { AgentContext } from "./_context.js";
import type { PodState } from "./_state.js";
import type { PodWorker } from "./_worker.js";
import { createSandbox } from "../sandboxes/mod.js";
import { prepareVolume } from "../volumes/mod.js";

const computeTypeLabel = "eks.amazonaws.com/compute-type";
const subnetLabel = "moor.dev/subnet";
const zoneLabel = "topology.kubernetes.io/zone";
const mountRetryFirstMs = 500;
const mountRetryMaxMs = 30_000;

export function internalIp(node: Node | undefined): string | undefined {
  return node?.status?.addresses?.find((address) => address.type === "InternalIP")?.address;
}

export function isFargateNode(node: Node | undefined): boolean {
  return node?.metadata.labels?.[computeTypeLabel] === "fargate";
}

export async function newPodState(context: AgentContext, pod: Pod): Promise<PodState> {
  // Only pods bound to one of the agent's nodes reach a worker.
  const spec = pod.spec ?? { containers: [] };
  const nodeName = spec.nodeName ?? "";
  const node = await context.port.node(nodeName);
  const fargate = isFargateNode(node);
  const hostIp = internalIp(node);
  const bySubnetId = context.network.subnets.find((subnet) => subnet.subnetId === node?.metadata.labels?.[subnetLabel]);
  const subnet = (fargate && hostIp ? context.network.subnetOf(hostIp) : bySubnetId) ?? context.network.subnetOfZone(node?.metadata.labels?.[zoneLabel]);
  let size: PodState["size"] = {};
  if (fargate) {
    const fargate = fargateSize(spec);
    if (fargate) size = { cpuMillis: fargate.cpuMillis, memoryBytes: fargate.memoryMiB * 1024 * 1024, annotation: fargate.annotation };
  }
  return {
    uid: pod.metadata.uid!,
    namespace: pod.metadata.namespace ?? "default",
    name: pod.metadata.name,
    nodeName,
    fargate,
    subnetId: subnet.subnetId,
    ...(fargate && hostIp ? { staticIp: hostIp } : {}),
    ...(hostIp ? { hostIp } : {}),
    sandboxReady: false,
    size,
    startTime: new Date().toISOString(),
    volumesReady: false,
    containers: {},
  };
}

export function subnetOfState(context: AgentContext, state: PodState) {
  return context.network.subnets.find((subnet) => subnet.subnetId === state.subnetId) ?? context.network.subnets[0]!;
}

export async function ensureSandbox(worker: PodWorker, pod: Pod, state: PodState): Promise<boolean> {
  if (state.sandboxReady) return true;
  const { context } = worker;
  try {
    if (state.fargate && !state.size.annotation) throw new Error("no Fargate size holds the pod's requests (at most 16 vCPU and 120 GB)");
    const shared = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((field) => pod.spec?.[field]);
    if (shared.length > 0) throw new Error(`host namespaces are not supported: ${shared.join(", ")}`);
    const { ip } = await createSandbox(context.layout, context.network, {
      uid: state.uid,
      name: state.name,
      namespace: state.namespace,
      subnet: subnetOfState(context, state),
      staticIp: state.staticIp,
      size: state.size,
      dns: (pod.spec as PodDnsSpec | undefined) ?? {},
      region: context.region,
    });
    state.ip = ip;
    state.hostIp ??= ip;
    state.sandboxReady = true;
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.recorder.record(pod, "Warning", "FailedCreatePodSandBox", `Failed to create pod sandbox: ${message}`);
    return false;
  }
}

export async function ensureVolumes(worker: PodWorker, pod: Pod, state: PodState): Promise<boolean> {
  if (state.volumesReady) return true;
  if (state.volumeRetryAt && state.volumeRetryAt > Date.now()) return false;
  const { context } = worker;
  const podDir = context.layout.podDir(state.uid);
  const zone = subnetOfState(context, state).availabilityZone;
  for (const volume of pod.spec?.volumes ?? []) {
    if (worker.volumes.has(volume.name)) continue;
    try {
      const facts = { podIp: state.ip, hostIp: state.hostIp };
      worker.volumes.set(volume.name, await prepareVolume({ port: context.port, pod, podDir, provider: context.volumes, zone, facts }, volume));
    } catch (error) {
      if (!isMoorError(error)) console.error(`moor agent: mounting volume "${volume.name}" failed:`, error);
      const message = error instanceof Error ? error.message : String(error);
      context.recorder.record(pod, "Warning", "FailedMount", `MountVolume.SetUp failed for volume "${volume.name}" : ${message}`);
      state.volumeBackoffMs = Math.min((state.volumeBackoffMs ?? mountRetryFirstMs / 2) * 2, mountRetryMaxMs);
      state.volumeRetryAt = Date.now() + state.volumeBackoffMs;
      return false;
    }
  }
  state.volumesReady = true;
  state.volumeRetryAt = undefined;
  state.volumeBackoffMs = undefined;
  return true;
}
