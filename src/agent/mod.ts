// The node agent: it realizes the pods bound to its nodes (images, one runc sandbox per pod,
// network, volumes, probes, logs, exec) and reports their status, as the kubelet does.
//
// PodIO is the port through which front ends (the Kubernetes API's log and exec subresources)
// reach a running pod's containers; VolumeProvider is the port through which the mount engine
// serves persistentVolumeClaim and csi volumes.
//
// Lifecycle: start() builds the container monitor (moor-shim, C) once, makes the busybox image,
// the VPC network namespace, re-adopts pods a previous agent left running, then watches the
// store. stop() (and so `moor down`) leaves running sandboxes running, as a kubelet restart
// does, for the next agent to re-adopt; when no sandbox is left it removes everything it put on
// the host (network namespaces, cgroups). Delete pods first for a clean machine.

import type { Readable, Writable } from "node:stream";
import type { StoredObject } from "../store/mod.js";
import { NodeAgent, type NodeAgentOptions } from "./_agent.js";
import { createPodIO } from "./_io.js";
import { shimBinary } from "./_shim.js";
import { AgentLayout } from "./_layout.js";
import { ensureBusybox, ImageStore, loadArchive, pullImage, type Image, type PullOptions } from "./images/mod.js";

export interface PodRef {
  namespace: string;
  name: string;
}

export interface LogOptions {
  follow?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  previous?: boolean;
  signal?: AbortSignal;
}

export interface ExecOptions {
  stdin: boolean;
  tty: boolean;
  signal?: AbortSignal;
}

export interface ExecSession {
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a TTY (stderr is merged into stdout). */
  stderr?: Readable;
  resize(columns: number, rows: number): void;
  /** Resolves when the command ends: its exit code, or the signal that ended it. */
  exit: Promise<{ code: number; signal?: string }>;
}

export interface PodIO {
  /** The container's log as a stream of lines (each ending in "\n"); NotFound/Invalid as MoorError. */
  logs(pod: PodRef, container: string | undefined, options: LogOptions): Promise<Readable>;
  exec(pod: PodRef, container: string | undefined, command: string[], options: ExecOptions): Promise<ExecSession>;
}

/**
 * The mount engine's port for persistentVolumeClaim and csi volumes: it presents the volume at a
 * host path the agent binds into the containers (rslave, so a repaired mount reaches them). A
 * MoorError keeps the pod in ContainerCreating with a FailedMount event, retried with back-off.
 */
export interface VolumeProvider {
  mount(request: VolumeMountRequest): Promise<{ hostPath: string; release(): Promise<void> }>;
}

export interface VolumeMountRequest {
  pod: StoredObject;
  volumeName: string;
  /** The PodSpec volume (persistentVolumeClaim or csi). */
  volume: any;
  /** The claim and its bound volume, when the agent found them; otherwise the provider resolves. */
  claim?: StoredObject;
  pv?: StoredObject;
  /** The pod's availability zone ("us-east-1a"). */
  zone: string;
  readOnly: boolean;
}

export interface NodeAgentComponent {
  readonly name: string;
  start(): Promise<void>;
  /** Leaves running sandboxes running: the next agent re-adopts them. */
  stop(): Promise<void>;
  readonly io: PodIO;
  /** The content store (`moor image`, tests). */
  images(): ImageStore;
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
  };
}


/** The content store of a data directory, for `moor image` and tests (the agent has its own). */
export async function openImageStore(home: string): Promise<ImageStore> {
  const layout = new AgentLayout(home);
  const shim = await shimBinary(layout.shimCache);
  return new ImageStore(layout.images, async () => shim);
}

export const imageArchives = { load: loadArchive };
export { ensureBusybox, pullImage, ImageStore, type Image, type PullOptions };
export { familiarReference, normalizeReference } from "./images/mod.js";
export type { NodeAgentOptions } from "./_agent.js";
export type { Timing } from "./_context.js";
export { createNodeLifecycleController, checkNodes, type NodeLifecycleOptions } from "./_node-lifecycle.js";
export { agentLabel, leaseNamespace, kubeletVersion } from "./_node.js";
/** Whether any container of any pod in this data directory runs the image (`moor image rm`). */
export { imageInUse } from "./_pod-state.js";
