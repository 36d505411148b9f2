import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryStore, type Store } from "../../store/mod.js";
import type { BoundEvent } from "../../agent/mod.js";
import { createLocalAgentPort } from "./mod.js";

const drained = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

function node(store: Store, name: string, agent: string) {
  return store.create({ apiVersion: "v1", kind: "Node", metadata: { name, labels: { "moor.dev/agent": agent } }, spec: {} });
}

function pod(store: Store, name: string, nodeName: string) {
  return store.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName, containers: [{ name: "c" }] } });
}

async function subscribed(store: Store) {
  const events: string[] = [];
  const port = createLocalAgentPort(store, { agentName: "a" });
  const subscription = await port.subscribe((event: BoundEvent) => events.push(`${event.type} ${event.kind} ${event.object.metadata.name}`));
  return { port, events, subscription };
}

describe("local agent port", () => {
  it("subscribe() delivers the agent's nodes, then the pods bound to them, and nothing of other agents", async () => {
    const store = createMemoryStore();
    node(store, "mine", "a");
    node(store, "theirs", "b");
    pod(store, "here", "mine");
    pod(store, "there", "theirs");
    const { events, subscription } = await subscribed(store);
    assert.deepEqual(events, [], "nothing arrives inside the call");
    await drained();
    assert.deepEqual(events, ["ADDED Node mine", "ADDED Pod here"]);
    subscription.close();
  });

  it("subscribe() delivers a newly served node's pods after it, and a node that stops being served as deleted", async () => {
    const store = createMemoryStore();
    const other = node(store, "later", "b");
    pod(store, "waiting", "later");
    const { events, subscription } = await subscribed(store);
    await drained();
    const mine = store.update({ ...other, metadata: { ...other.metadata, labels: { "moor.dev/agent": "a" } } });
    await drained();
    store.update({ ...mine, metadata: { ...mine.metadata, labels: { "moor.dev/agent": "b" } } });
    await drained();
    assert.deepEqual(events, ["ADDED Node later", "ADDED Pod waiting", "DELETED Node later"]);
    subscription.close();
  });

  it("subscribe() keeps delivering a pod it delivered until the pod is deleted, even after its node went", async () => {
    const store = createMemoryStore();
    node(store, "n", "a");
    pod(store, "p", "n");
    const { events, subscription } = await subscribed(store);
    await drained();
    store.delete({ kind: "Node", name: "n" });
    store.delete({ kind: "Pod", namespace: "default", name: "p" });
    pod(store, "q", "n");
    await drained();
    assert.deepEqual(events, ["ADDED Node n", "ADDED Pod p", "DELETED Node n", "DELETED Pod p"]);
    subscription.close();
  });

  it("writes answer a stale revision with Conflict and reads return what the store holds", async () => {
    const store = createMemoryStore();
    node(store, "n", "a");
    const created = pod(store, "p", "n");
    const port = createLocalAgentPort(store, { agentName: "a" });
    const updated = await port.updatePod({ ...created, status: { phase: "Running" } }, { expectedRevision: created.metadata.resourceVersion });
    assert.equal((await port.pod("default", "p"))?.status?.phase, "Running");
    await assert.rejects(port.updatePod({ ...created, status: { phase: "Failed" } }, { expectedRevision: created.metadata.resourceVersion }), { category: "Conflict" });
    assert.deepEqual((await port.podsOnNode("n")).map((entry) => entry.metadata.name), ["p"]);
    await port.deletePod("default", "p", { expectedRevision: updated.metadata.resourceVersion });
    assert.equal(await port.pod("default", "p"), undefined);
  });
});
