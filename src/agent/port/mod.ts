// The agent's port to the control plane: everything the node agent learns and writes goes
// through it, and every call is asynchronous, so that an agent on another host (DESIGN decision
// 8) is a new implementation of this interface and nothing more. The in-process one, over the
// store, is src/controllers/agent-port; no agent code touches the store.
//
// What the agent is told (subscribe): the Nodes it serves and the Pods bound to them. What it
// reads on demand: a pod, the pods on a node, a node, and the objects a pod refers to (claims,
// persistent volumes, secrets, config maps) and a node's Lease. What it writes: pod status (with
// the Fargate size annotation) and the final pod delete, node status, Fargate node and Lease
// deletion, Leases, and Events. Writes carry the revision they were based on; a stale one is a
// Conflict, a missing object NotFound (MoorError), as the store answers.

import type { ConfigMap, Lease, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../domain/objects/mod.js";

export type BoundEventType = "ADDED" | "MODIFIED" | "DELETED";

export type BoundEvent = { type: BoundEventType; kind: "Node"; object: Node } | { type: BoundEventType; kind: "Pod"; object: Pod };

export type EventType = "Normal" | "Warning";

export interface Subscription {
  close(): void;
}

export interface WriteOptions {
  /** The object's resourceVersion the write is based on; a newer one makes it a Conflict. */
  expectedRevision?: string;
}

export interface AgentPort {
  /** The agent this port speaks for: its nodes are those labelled moor.dev/agent=<agentName>. */
  readonly agentName: string;

  /**
   * Delivers the Nodes this agent serves and the Pods bound to them: first what
   * exists (nodes before pods), then every change. A node that stops being served arrives as
   * DELETED; a pod once delivered keeps being delivered until it is deleted. Events arrive one at
   * a time, each after the call that caused it has returned.
   */
  subscribe(handler: (event: BoundEvent) => void): Promise<Subscription>;

  pod(namespace: string, name: string): Promise<Pod | undefined>;
  podsOnNode(nodeName: string): Promise<Pod[]>;
  node(name: string): Promise<Node | undefined>;
  lease(nodeName: string): Promise<Lease | undefined>;
  claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  persistentVolume(name: string): Promise<PersistentVolume | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;

  /** Writes a pod's status and metadata (annotations) as the agent sees them. */
  updatePod(pod: Pod, options?: WriteOptions): Promise<Pod>;
  /** The kubelet's final delete of a pod whose finalizers are gone. */
  deletePod(namespace: string, name: string, options?: WriteOptions): Promise<void>;
  updateNode(node: Node, options?: WriteOptions): Promise<Node>;
  deleteNode(name: string): Promise<void>;
  createLease(lease: Lease): Promise<Lease>;
  updateLease(lease: Lease, options?: WriteOptions): Promise<Lease>;
  deleteLease(nodeName: string): Promise<void>;

  /** Records a Kubernetes Event about an object; never fails (an event only reports). */
  recordEvent(object: StoredObject, type: EventType, reason: string, message: string): Promise<void>;
}
