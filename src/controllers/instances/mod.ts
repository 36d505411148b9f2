// The instance controller: EC2 instances as sandboxes (DESIGN decision 9). For each Instance
// object it keeps one pod in namespace aws-ec2 (see _pod.ts) while the instance should run, and
// moves the instance through EC2's states as the pod comes and goes: pending → running (the
// pod runs; its address becomes the private IP) → stopping → stopped (pod removed) → pending
// again on start, and shutting-down → terminated, after which the object stays an hour, as
// terminated instances stay visible on AWS. A stopping or terminating instance's EFS mounts
// (InstanceMounts, _mounts.ts: what its mount helpers asked for) are released on the host
// before it is stopped or terminated.
//
// Lifecycle: `createInstanceController({ store, clock, ensureImage })`; `start()` makes the
// namespace and starts the runtime; `stop()` stops it (running instances keep running: their
// pods are the agent's).

import type { Clock } from "../../clock/mod.js";
import type { Component } from "../../component/mod.js";
import { agentNodeLabel, decideDeletion } from "../../domain/kube/mod.js";
import { instanceKind, type InstanceObject, type InstanceStatus } from "../../services/ec2/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { instanceIdLabel, instanceNamespace, instancePod } from "./_pod.js";
import { changedOnly, metadataOf } from "./_metadata.js";
import type { InstanceMetadata } from "../../engines/metadata/mod.js";

export { instanceNamespace, userDataVariable, instanceInit } from "./_pod.js";
export { InstanceMounts, type InstanceMountsOptions } from "./_mounts.js";

export interface InstanceControllerOptions {
  store: Store;
  clock: Clock;
  /** Makes Moor's instance image present for the agent; resolves to its reference. */
  ensureImage(): Promise<string>;
  /** Receives what the instance metadata service should know, on every change. */
  publishMetadata?: (instances: InstanceMetadata[]) => void;
  region: string;
  accountId: string;
  /** Releases the host side of the file systems mounted inside an instance that stopped or went. */
  releaseMounts?: (instanceId: string) => Promise<void>;
}

export interface InstanceController extends Component {
  settled(): Promise<void>;
}

/** How long a terminated instance stays visible. */
export const terminatedRetentionMs = 3_600_000;

function ensureNamespace(store: Store): void {
  if (store.get({ kind: "Namespace", namespace: "", name: instanceNamespace })) return;
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: instanceNamespace, labels: { "kubernetes.io/metadata.name": instanceNamespace } }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
}

function writeStatus(store: Store, instance: InstanceObject, change: Partial<InstanceStatus>): void {
  store.update({ ...instance, status: { ...instance.status, ...change } }, { expectedRevision: instance.metadata.resourceVersion });
}

function removePod(store: Store, clock: Clock, pod: StoredObject): void {
  const context = { now: clock.now(), nodeHasAgent: (node: string) => Boolean(store.get({ kind: "Node", namespace: "", name: node })?.metadata.labels?.[agentNodeLabel]) };
  const decision = decideDeletion(pod, { propagationPolicy: "Background" }, context);
  const key = { kind: "Pod", namespace: instanceNamespace, name: pod.metadata.name };
  if (decision.action === "remove") store.delete(key, { expectedRevision: pod.metadata.resourceVersion });
  else if (decision.action === "mark") store.update(decision.object, { expectedRevision: pod.metadata.resourceVersion });
}

async function reconcileInstance(options: InstanceControllerOptions, id: string): Promise<number | void> {
  const { store, clock } = options;
  const instance = store.get({ kind: instanceKind, name: id }) as InstanceObject | undefined;
  const pod = store.get({ kind: "Pod", namespace: instanceNamespace, name: id });
  if (!instance) {
    if (pod) removePod(store, clock, pod);
    else await options.releaseMounts?.(id);
    return;
  }
  const { state } = instance.status;
  if (state === "terminated") {
    const left = Date.parse(instance.status.terminatedAt ?? "") + terminatedRetentionMs - clock.now().getTime();
    if (left <= 0) store.delete({ kind: instanceKind, name: id });
    return left > 0 ? left : undefined;
  }
  if (state === "stopping" || state === "shutting-down") {
    if (pod) {
      if (!pod.metadata.deletionTimestamp) removePod(store, clock, pod);
      return;
    }
    await options.releaseMounts?.(id);
    writeStatus(store, instance, state === "stopping" ? { state: "stopped" } : { state: "terminated", terminatedAt: clock.now().toISOString() });
    return;
  }
  if (state === "stopped") return;
  if (!pod) {
    const image = await options.ensureImage();
    if (!store.get({ kind: "Pod", namespace: instanceNamespace, name: id })) store.create(instancePod(instance, image));
    return;
  }
  if (pod.metadata.deletionTimestamp) return;
  const podIp = pod.status?.podIP as string | undefined;
  if (pod.status?.phase === "Running" && (state === "pending" || instance.status.privateIpAddress !== podIp)) {
    writeStatus(store, instance, { state: "running", ...(podIp ? { privateIpAddress: podIp } : {}), userDataDelivered: true });
  }
}

export function createInstanceController(options: InstanceControllerOptions): InstanceController {
  const { store } = options;
  const keyOf = (id: string) => objectKey({ kind: instanceKind, name: id });
  const publish = changedOnly(options.publishMetadata ?? (() => {}));
  const controller: Controller = {
    name: "instances",
    kinds: [instanceKind, "Pod"],
    keysFor(event) {
      const { kind, metadata } = event.object;
      if (kind === instanceKind) return [keyOf(metadata.name)];
      const id = metadata.namespace === instanceNamespace ? metadata.labels?.[instanceIdLabel] : undefined;
      return id ? [keyOf(id)] : [];
    },
    allKeys: () => [
      ...store.list(instanceKind).items.map((instance) => keyOf(instance.metadata.name)),
      ...store.list("Pod", { namespace: instanceNamespace }).items.map((pod) => keyOf(pod.metadata.labels?.[instanceIdLabel] ?? pod.metadata.name)),
    ],
    reconcile: async (key) => {
      const next = await reconcileInstance(options, splitKey(key).name);
      publish(metadataOf(store, options.region, options.accountId));
      return next;
    },
  };
  const runtime = new ControllerRuntime({ name: "instances", store, clock: options.clock, controllers: [controller] });
  return {
    name: "instance-controller",
    async start() {
      ensureNamespace(store);
      await runtime.start();
    },
    stop: () => runtime.stop(),
    settled: () => runtime.settled(),
  };
}
