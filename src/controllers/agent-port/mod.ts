// The agent port's in-process implementation, over the store, for an agent that runs inside the
// Moor process (`moor up`). It is the control plane's side of the port, so it lives with the
// controllers and not under src/agent, which never touches the store; the wiring in src/cmd
// connects the two. An agent on another host gets another implementation of AgentPort.

import { createRecorder } from "../../events/mod.js";
import type { Store, StoredObject, WatchEvent } from "../../store/mod.js";
import { agentLabel, leaseNamespace, type AgentPort, type BoundEvent, type Subscription } from "../../agent/mod.js";

export interface LocalAgentPortOptions {
  /** The agent's name; it serves the Nodes labelled moor.dev/agent=<agentName>. */
  agentName: string;
  now?: () => Date;
}

export function createLocalAgentPort(store: Store, options: LocalAgentPortOptions): AgentPort {
  const { agentName } = options;
  const recorder = createRecorder(store, { component: "kubelet", host: agentName }, options.now);
  const namespaced = (kind: string) => async (namespace: string, name: string) => store.get({ kind, namespace, name });
  return {
    agentName,
    subscribe: async (handler) => subscribe(store, agentName, handler),
    pod: namespaced("Pod"),
    podsOnNode: async (nodeName) => store.list("Pod").items.filter((pod) => pod.spec?.nodeName === nodeName),
    node: async (name) => store.get({ kind: "Node", name }),
    lease: async (nodeName) => store.get({ kind: "Lease", namespace: leaseNamespace, name: nodeName }),
    claim: namespaced("PersistentVolumeClaim"),
    persistentVolume: async (name) => store.get({ kind: "PersistentVolume", name }),
    secret: namespaced("Secret"),
    configMap: namespaced("ConfigMap"),
    updatePod: async (pod, writeOptions) => store.update(pod, writeOptions),
    deletePod: async (namespace, name, writeOptions) => void store.delete({ kind: "Pod", namespace, name }, writeOptions),
    updateNode: async (node, writeOptions) => store.update(node, writeOptions),
    deleteNode: async (name) => void store.delete({ kind: "Node", name }),
    createLease: async (lease) => store.create(lease),
    updateLease: async (lease, writeOptions) => store.update(lease, writeOptions),
    deleteLease: async (nodeName) => void store.delete({ kind: "Lease", namespace: leaseNamespace, name: nodeName }),
    recordEvent: async (object, type, reason, message) => recorder.record(object, type, reason, message),
  };
}

/** Nodes served by the agent and the pods bound to them, from the store's watches. */
function subscribe(store: Store, agentName: string, handler: (event: BoundEvent) => void): Subscription {
  const served = new Set<string>();
  const delivered = new Set<string>();
  let open = true;
  // Each event after the current call returns, in order, as the port promises.
  const emit = (event: BoundEvent) =>
    setImmediate(() => {
      if (open) handler(event);
    });
  const onPod = (type: WatchEvent["type"], pod: StoredObject) => {
    const uid = pod.metadata.uid ?? "";
    if (!delivered.has(uid) && (type === "DELETED" || !served.has(pod.spec?.nodeName))) return;
    if (type === "DELETED") delivered.delete(uid);
    else delivered.add(uid);
    emit({ type, kind: "Pod", object: pod });
  };
  const onNode = (type: WatchEvent["type"], node: StoredObject) => {
    const name = node.metadata.name;
    if (type === "DELETED" || node.metadata.labels?.[agentLabel] !== agentName) {
      if (served.delete(name)) emit({ type: "DELETED", kind: "Node", object: node });
      return;
    }
    const added = !served.has(name);
    served.add(name);
    emit({ type: added ? "ADDED" : "MODIFIED", kind: "Node", object: node });
    if (added) for (const pod of store.list("Pod").items) if (pod.spec?.nodeName === name) onPod("ADDED", pod);
  };
  const revision = store.revision();
  for (const node of store.list("Node").items) onNode("ADDED", node);
  for (const pod of store.list("Pod").items) if (!delivered.has(pod.metadata.uid ?? "")) onPod("ADDED", pod);
  // Handled outside the store's write that caused them, in order.
  const later = (handle: (type: WatchEvent["type"], object: StoredObject) => void) => (event: WatchEvent) => setImmediate(() => open && handle(event.type, event.object));
  const stops = [store.watch({ kind: "Node", fromRevision: revision }, later(onNode)), store.watch({ kind: "Pod", fromRevision: revision }, later(onPod))];
  return {
    close() {
      open = false;
      for (const stop of stops.splice(0)) stop();
    },
  };
}
