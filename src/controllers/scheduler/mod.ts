// The scheduler: binds each new pod to a node. A pod that a Fargate profile selects gets the
// fargate-scheduler, its own Fargate node in one of the profile's subnets (spread across zones),
// and an address from that subnet; Fargate's refusals keep it Pending with the fargate-scheduler's
// FailedScheduling event. Other pods go to node-group nodes, as the default scheduler would.

import { type Clock, timestamp } from "../../clock/mod.js";
import type { MoorConfig } from "../../config/mod.js";
import { createRecorder, type Recorder } from "../../events/mod.js";
import { embeddedVpc, type Subnet } from "../../domain/network/mod.js";
import {
  chooseProfile,
  fargateProblems,
  fargateRefusal,
  fargateSchedulerName,
  type NamedProfile,
  profileLabel,
  sandboxPlacement,
} from "../../domain/scheduling/mod.js";
import { keyOf, type Store, type StoredObject } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, type ReconcileResult, splitKey } from "../runtime/mod.js";
import { claimLookup, claimsState, selectNodeForClaims } from "./_claims.js";
import { allocateFargateIp, fargateNode, fargateNodeName, internalIp, ipOfFargateNodeName, isFargateNode, subnetOfIp } from "./_nodes.js";
import { fitNodes, unschedulableMessage } from "./_placement.js";

export { agentLabel, nodeGroupLabel, zoneLabel, isFargateNode, internalIp, nodeDomain } from "./_nodes.js";
export { selectedNodeAnnotation } from "./_claims.js";

export interface SchedulerOptions {
  store: Store;
  config: MoorConfig;
  /** The node agent that serves the Fargate nodes this scheduler creates. */
  agentName: string;
  clock: Clock;
}

const plannedNodeAnnotation = "moor.dev/planned-node";
const waitRetryMs = 1_000;

interface Context extends SchedulerOptions {
  fargateRecorder: Recorder;
  defaultRecorder: Recorder;
}

/** The scheduler as a component: `start()`, `stop()`, and `idle()`/`settled()` for tests. */
export function createScheduler(schedulerOptions: SchedulerOptions): ControllerRuntime {
  const { store, clock } = schedulerOptions;
  const now = () => clock.now();
  const options: Context = {
    ...schedulerOptions,
    fargateRecorder: createRecorder(store, { component: "fargate-scheduler" }, now),
    defaultRecorder: createRecorder(store, { component: "default-scheduler" }, now),
  };
  const nodeKey = (name: string) => objectKey({ kind: "Node", name });
  const controller: Controller = {
    name: "scheduler",
    kinds: ["Pod", "PersistentVolumeClaim", "FargateProfile", "Node"],
    keysFor: (event) => {
      if (event.object.kind === "Pod") {
        if (event.type !== "DELETED") return [objectKey(keyOf(event.object))];
        return event.object.spec?.nodeName ? [nodeKey(event.object.spec.nodeName)] : [];
      }
      return pendingPods(store, event.object.kind === "PersistentVolumeClaim" ? event.object.metadata.namespace : undefined);
    },
    allKeys: () => [...pendingPods(store), ...store.list("Node").items.filter(isFargateNode).map((node) => nodeKey(node.metadata.name))],
    reconcile: (key) => {
      const { kind, namespace, name } = splitKey(key);
      return kind === "Node" ? removeIdleFargateNode(store, name) : schedule(options, namespace, name);
    },
    resyncIntervalMs: 10_000,
  };
  return new ControllerRuntime({ name: "scheduler", store, clock, controllers: [controller] });
}

/** A Fargate node exists for one pod; once that pod is gone, so is the node (and its lease). */
function removeIdleFargateNode(store: Store, nodeName: string): void {
  const node = store.get({ kind: "Node", name: nodeName });
  if (!node || !isFargateNode(node)) return;
  const podUid = node.metadata.annotations?.["moor.dev/pod-uid"];
  const [namespace = "", name = ""] = (node.metadata.annotations?.["moor.dev/pod"] ?? "").split("/");
  const pod = store.get({ kind: "Pod", namespace, name });
  if (pod && (!podUid || pod.metadata.uid === podUid)) return;
  store.transaction(() => {
    if (store.get({ kind: "Node", name: nodeName })) store.delete({ kind: "Node", name: nodeName });
    if (store.get({ kind: "Lease", namespace: "kube-node-lease", name: nodeName })) store.delete({ kind: "Lease", namespace: "kube-node-lease", name: nodeName });
  });
}

function pendingPods(store: Store, namespace?: string): string[] {
  return store
    .list("Pod", namespace ? { namespace } : {})
    .items.filter((pod) => !pod.spec?.nodeName && !pod.metadata.deletionTimestamp)
    .map((pod) => objectKey(keyOf(pod)));
}

function schedule(options: Context, namespace: string, name: string): ReconcileResult {
  const { store } = options;
  const pod = store.get({ kind: "Pod", namespace, name });
  if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
  const placement = sandboxPlacement({ namespace, annotations: pod.metadata.annotations ?? {} });
  if (placement) return scheduleOnFargate(options, admit(store, pod, placement), placement, true);
  const profiles = store.list("FargateProfile").items.map(asProfile);
  const profile = chooseProfile(profiles, { namespace, labels: pod.metadata.labels ?? {} });
  const schedulerName = pod.spec?.schedulerName ?? "default-scheduler";
  if (profile && (schedulerName === fargateSchedulerName || !hasBeenScheduled(pod))) return scheduleOnFargate(options, admit(store, pod, profile), profile);
  if (schedulerName === fargateSchedulerName) {
    markUnschedulable(options, pod, "fargate-scheduler", `Pod not supported on Fargate: no Fargate profile selects namespace "${namespace}" with the pod's labels`);
    return;
  }
  if (schedulerName !== "default-scheduler") return;
  return scheduleOnNodeGroups(options, pod);
}

/** What AWS's admission webhook does: hand the pod to the fargate-scheduler and name its profile. */
function admit(store: Store, pod: StoredObject, profile: NamedProfile): StoredObject {
  if (pod.spec?.schedulerName === fargateSchedulerName && pod.metadata.labels?.[profileLabel] === profile.name) return pod;
  return store.update({
    ...pod,
    metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, [profileLabel]: profile.name } },
    spec: { ...pod.spec, schedulerName: fargateSchedulerName },
  });
}

function scheduleOnFargate(options: Context, pod: StoredObject, profile: NamedProfile, sandbox = false): ReconcileResult {
  const { store, config } = options;
  const namespace = pod.metadata.namespace ?? "default";
  // A sandbox (ECS task, EC2 instance, DB instance) is no EKS pod: its service checks its own rules.
  const problems = sandbox ? [] : fargateProblems(pod as never, claimLookup(store, namespace));
  if (problems.length > 0) {
    markUnschedulable(options, pod, "fargate-scheduler", fargateRefusal(problems));
    return;
  }
  const subnets = profileSubnets(config, profile);
  const planned = store.transaction(() => planFargateAddress(store, pod, subnets, config.region));
  const claims = claimsState(store, planned.pod);
  if (!claims.ready) {
    selectNodeForClaims(store, claims.waitingForFirstConsumer, planned.nodeName);
    if (claims.immediateUnbound) markUnschedulable(options, planned.pod, "fargate-scheduler", unboundImmediateMessage());
    return waitRetryMs;
  }
  const bound = store.transaction(() => {
    const current = store.get({ kind: "Pod", namespace, name: pod.metadata.name });
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp) return undefined;
    if (!store.get({ kind: "Node", name: planned.nodeName })) {
      store.create(fargateNode({ ip: planned.ip, subnet: planned.subnet, region: config.region, agent: options.agentName, profile: profile.name, pod: current }));
    }
    return bind(store, current, planned.nodeName, options.clock.now());
  });
  if (bound) options.fargateRecorder.record(bound, "Normal", "Scheduled", `Successfully assigned ${namespace}/${bound.metadata.name} to ${planned.nodeName}`);
}

/** Reserves the pod's address (on the pod, so a restart keeps it) in the least used subnet. */
function planFargateAddress(store: Store, pod: StoredObject, subnets: Subnet[], region: string) {
  const current = store.get({ kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name }) ?? pod;
  const existing = current.metadata.annotations?.[plannedNodeAnnotation];
  const existingIp = existing ? ipOfFargateNodeName(existing) : undefined;
  const existingSubnet = existingIp ? subnetOfIp(subnets, existingIp) : undefined;
  if (existing && existingIp && existingSubnet) return { pod: current, nodeName: existing, ip: existingIp, subnet: existingSubnet };
  const taken = [...store.list("Node").items, ...plannedAddresses(store)];
  const spread = taken.filter((node) => isFargateNode(node) || node.metadata.name === internalIp(node));
  const counts = subnets.map((subnet) => spread.filter((node) => subnetOfIp([subnet], internalIp(node) ?? "")).length);
  const subnet = subnets[counts.indexOf(Math.min(...counts))]!;
  const ip = allocateFargateIp(subnet, taken);
  const nodeName = fargateNodeName(ip, region);
  const updated = store.update({ ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [plannedNodeAnnotation]: nodeName } } });
  return { pod: updated, nodeName, ip, subnet };
}

/** Addresses reserved by pods that wait for their claims, shaped like nodes for allocation. */
function plannedAddresses(store: Store): StoredObject[] {
  return store
    .list("Pod")
    .items.filter((pod) => !pod.spec?.nodeName)
    .map((pod) => ipOfFargateNodeName(pod.metadata.annotations?.[plannedNodeAnnotation] ?? ""))
    .filter((ip): ip is string => ip !== undefined)
    .map((ip) => ({ apiVersion: "v1", kind: "Node", metadata: { name: ip }, status: { addresses: [{ type: "InternalIP", address: ip }] } }));
}

function scheduleOnNodeGroups(options: Context, pod: StoredObject): ReconcileResult {
  const { store } = options;
  const namespace = pod.metadata.namespace ?? "default";
  const nodes = store.list("Node").items;
  const { fits, reasons } = fitNodes(pod, nodes);
  if (fits.length === 0) {
    markUnschedulable(options, pod, "default-scheduler", unschedulableMessage(nodes.length, reasons));
    return waitRetryMs * 5;
  }
  const load = new Map<string, number>();
  for (const other of store.list("Pod").items) if (other.spec?.nodeName) load.set(other.spec.nodeName, (load.get(other.spec.nodeName) ?? 0) + 1);
  const node = fits.sort((a, b) => (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0))[0]!;
  const claims = claimsState(store, pod);
  if (!claims.ready) {
    selectNodeForClaims(store, claims.waitingForFirstConsumer, node.metadata.name);
    if (claims.immediateUnbound) markUnschedulable(options, pod, "default-scheduler", unboundImmediateMessage());
    return waitRetryMs;
  }
  const bound = store.transaction(() => {
    const current = store.get({ kind: "Pod", namespace, name: pod.metadata.name });
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp) return undefined;
    return bind(store, current, node.metadata.name, options.clock.now());
  });
  if (bound) options.defaultRecorder.record(bound, "Normal", "Scheduled", `Successfully assigned ${namespace}/${bound.metadata.name} to ${node.metadata.name}`);
}

function bind(store: Store, pod: StoredObject, nodeName: string, now: Date): StoredObject {
  const conditions = withCondition(pod, { type: "PodScheduled", status: "True" }, now);
  return store.update({ ...pod, spec: { ...pod.spec, nodeName }, status: { ...pod.status, phase: pod.status?.phase ?? "Pending", conditions } });
}

function markUnschedulable(options: Context, pod: StoredObject, component: "fargate-scheduler" | "default-scheduler", message: string): void {
  const { store } = options;
  const condition = { type: "PodScheduled", status: "False", reason: "Unschedulable", message };
  const existing = ((pod.status?.conditions ?? []) as { type: string; message?: string }[]).find((c) => c.type === "PodScheduled");
  if (existing?.message !== message) {
    store.update({ ...pod, status: { ...pod.status, phase: "Pending", conditions: withCondition(pod, condition, options.clock.now()) } });
  }
  const recorder = component === "fargate-scheduler" ? options.fargateRecorder : options.defaultRecorder;
  recorder.record(pod, "Warning", "FailedScheduling", message);
}

function withCondition(pod: StoredObject, condition: { type: string; status: string; reason?: string; message?: string }, now: Date) {
  const others = ((pod.status?.conditions ?? []) as { type: string }[]).filter((c) => c.type !== condition.type);
  return [...others, { ...condition, lastProbeTime: null, lastTransitionTime: timestamp(now) }];
}

function hasBeenScheduled(pod: StoredObject): boolean {
  return ((pod.status?.conditions ?? []) as { type: string }[]).some((c) => c.type === "PodScheduled");
}

function unboundImmediateMessage(): string {
  return "0/0 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/0 nodes are available: 0 Preemption is not helpful for scheduling.";
}

function profileSubnets(config: MoorConfig, profile: NamedProfile): Subnet[] {
  const vpc = embeddedVpc(config.region);
  const chosen = vpc.subnets.filter((subnet) => profile.spec.subnets.includes(subnet.subnetId));
  return chosen.length > 0 ? chosen : vpc.subnets;
}

function asProfile(object: StoredObject): NamedProfile {
  return { name: object.metadata.name, spec: object.spec, status: object.status?.status ?? "ACTIVE" };
}

