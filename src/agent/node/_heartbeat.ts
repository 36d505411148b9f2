// The agent's nodes: it keeps their status (conditions, capacity, node info) and renews each
// one's heartbeat Lease in kube-node-lease, as the kubelet does every ~10 s.

import { cpus, totalmem } from "node:os";
import { isMoorError } from "../../errors/mod.js";
import type { Node, NodeCondition, NodeStatus } from "../../domain/kube/mod.js";
import type { AgentPort } from "../port/mod.js";

export const leaseNamespace = "kube-node-lease";
export const agentLabel = "moor.dev/agent";
export const kubeletVersion = "v1.32.0-eks-moor";
const leaseDurationSeconds = 40;
const unreachableTaint = "node.kubernetes.io/unreachable";
const statusReportMs = 60_000;

function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface NodeFacts {
  runtimeVersion: string;
  now(): Date;
}

function conditions(node: Node, now: string): NodeCondition[] {
  const previous = node.status?.conditions ?? [];
  const wanted: NodeCondition[] = [
    { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
    { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure" },
    { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
    { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
  ];
  return wanted.map((condition) => {
    const before = previous.find((entry) => entry.type === condition.type);
    const transition = before && before.status === condition.status ? before.lastTransitionTime : now;
    return { ...condition, lastHeartbeatTime: now, lastTransitionTime: transition };
  });
}

/** Writes the node's status as a Ready kubelet reports it, and lifts the unreachable taint. */
export async function heartbeatNode(port: AgentPort, name: string, facts: NodeFacts): Promise<void> {
  const now = stamp(facts.now());
  for (let attempt = 0; attempt < 5; attempt++) {
    const node = await port.node(name);
    if (!node) return;
    const fargate = node.metadata.labels?.["eks.amazonaws.com/compute-type"] === "fargate";
    const capacity = {
      cpu: String(cpus().length),
      memory: `${Math.floor(totalmem() / 1024)}Ki`,
      "ephemeral-storage": "20Gi",
      pods: fargate ? "1" : "110",
    };
    const taints = (node.spec?.taints ?? []).filter((taint) => taint.key !== unreachableTaint);
    const status = {
      ...node.status,
      conditions: conditions(node, now),
      capacity,
      allocatable: capacity,
      nodeInfo: {
        machineID: "",
        systemUUID: node.metadata.uid ?? "",
        bootID: "",
        kernelVersion: "",
        osImage: "Amazon Linux 2",
        containerRuntimeVersion: facts.runtimeVersion,
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: "linux",
        architecture: "amd64",
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    };
    // The Lease is the heartbeat; the Node is rewritten only when something in it changes or
    // its last report is old (upstream's node status report frequency), to spare the watchers.
    if (!statusChanged(node, status, taints) && reportedWithin(node, facts.now(), statusReportMs)) break;
    try {
      await port.updateNode({ ...node, spec: { ...node.spec, taints }, status }, { expectedRevision: node.metadata.resourceVersion });
      break;
    } catch (error) {
      if (!isMoorError(error) || error.category !== "Conflict") throw error;
    }
  }
  await renewLease(port, name, facts.now());
}

function statusChanged(node: Node, status: NodeStatus, taints: unknown[]): boolean {
  const withoutHeartbeat = (conditions: NodeCondition[] = []) => conditions.map(({ lastHeartbeatTime: _, ...rest }) => rest);
  const before = { ...node.status, conditions: withoutHeartbeat(node.status?.conditions) };
  const after = { ...status, conditions: withoutHeartbeat(status.conditions) };
  return JSON.stringify(before) !== JSON.stringify(after) || (node.spec?.taints ?? []).length !== taints.length;
}

function reportedWithin(node: Node, now: Date, periodMs: number): boolean {
  const ready = (node.status?.conditions ?? []).find((condition) => condition.type === "Ready");
  return !!ready?.lastHeartbeatTime && now.getTime() - Date.parse(ready.lastHeartbeatTime) < periodMs;
}

async function renewLease(port: AgentPort, name: string, now: Date): Promise<void> {
  const renewTime = now.toISOString().replace("Z", "000Z");
  const node = await port.node(name);
  const lease = await port.lease(name);
  const spec = { holderIdentity: name, leaseDurationSeconds, renewTime };
  try {
    if (lease) await port.updateLease({ ...lease, spec: { ...lease.spec, ...spec } });
    else {
      await port.createLease({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          name,
          namespace: leaseNamespace,
          ownerReferences: node ? [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid ?? "" }] : [],
        },
        spec,
      });
    }
  } catch (error) {
    // A lease lost to a race is renewed at the next heartbeat.
    if (!isMoorError(error)) throw error;
  }
}
