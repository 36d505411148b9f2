// The node agent: it realizes the pods bound to its nodes (images, one runc sandbox per pod,
// network, volumes, probes, logs, exec) and reports their status, as the kubelet does.
//
// Its concepts, each a folder with a head file: pods (the per-pod worker), sandboxes (runc,
// containers, their monitor), network (the VPC and CNI), volumes, io (logs and exec), node (Node
// status, heartbeat, host layout) and downward (a pod's own facts); the image store and host
// commands are engines (src/engines/images, src/engines/command), shared with the image builder.
// Three ports: AgentPort (port/) is how the agent reads and writes the control plane, always
// asynchronously, so that an agent on another host is a new implementation of it
// (src/controllers/agent-port is the in-process one, over the store, wired in src/cmd); PodIO
// is how front ends (the Kubernetes API's log and exec subresources) reach a running pod's
// containers; VolumeProvider is how the mount engine serves persistentVolumeClaim and csi volumes.
//
// Lifecycle: start() builds the container monitor (moor-shim, C) once, makes the busybox image,
// the VPC network namespace, re-adopts pods a previous agent left running, then subscribes to
// what is bound to its nodes. stop() (and so `moor down`) leaves running sandboxes running, as a
// kubelet restart does, for the next agent to re-adopt; when no sandbox is left it removes
// everything it put on the host (network namespaces, cgroups). For a clean machine,
// `removeSandboxesFromHost` (`moor down --all`) removes the sandboxes of a stopped Moor.

import { NodeAgent, type NodeAgentOptions } from "./_agent.js";
import { createPodIO, type PodIO } from "./io/mod.js";
import { shimBinary } from "./sandboxes/mod.js";
import { AgentLayout } from "./node/mod.js";
import { ensureBusybox, ImageStore, loadArchive, pullImage, type Image, type PullOptions } from "../engines/images/mod.js";

export interface NodeAgentComponent {
  readonly name: string;
  start(): Promise<void>;
  /** Leaves running sandboxes running: the next agent re-adopts them. */
  stop(): Promise<void>;
  readonly io: PodIO;
  /** The content store (`moor image`, tests). */
  images(): ImageStore;
  /** The VPC's network namespace, for what serves inside it (cluster DNS at the resolver address). */
  readonly vpc: { readonly namespace: string; readonly resolver: string; ensureVpc(): Promise<void>; namespacePath(name: string): string };
}

/** The node agent for `moor up`: serves the Nodes labelled moor.dev/agent=<agentName>. */
export function createNodeAgent(options: NodeAgentOptions): NodeAgentComponent {
  const agent = new NodeAgent(options);
  return {
    name: agent.name,
    start: () => agent.start(),
    stop: () => agent.stop(),
    io: createPodIO(agent),
    images: () => agent.images,
    vpc: agent.network,
  };
}

/** The content store of a data directory, for `moor image` and tests (the agent has its own). */
export async function openImageStore(home: string): Promise<ImageStore> {
  const layout = new AgentLayout(home);
  const shim = await shimBinary(layout.shimCache);
  return new ImageStore(layout.images, async () => shim);
}

export { removeSandboxesFromHost } from "./_host-cleanup.js";
export const imageArchives = { load: loadArchive };
export { ensureBusybox, pullImage, ImageStore, type Image, type PullOptions };
export { familiarReference, normalizeReference } from "../engines/images/mod.js";
/** The VPC network's names (namespace, data directory digest), for the load balancer engine. */
export { VpcNetwork } from "./network/mod.js";
export type { NodeAgentOptions } from "./_agent.js";
export type { AgentPort, BoundEvent, BoundEventType, EventType, Subscription, WriteOptions } from "./port/mod.js";
export type { ExecOptions, ExecSession, LogOptions, PodIO, PodRef, PortForwardConnection } from "./io/mod.js";
export type { VolumeMountRequest, VolumeProvider } from "./volumes/mod.js";
export type { Timing } from "./pods/mod.js";
export { agentLabel, leaseNamespace, kubeletVersion } from "./node/mod.js";
/** Whether any container of any pod in this data directory runs the image (`moor image rm`). */
export { imageInUse } from "./pods/mod.js";
