import assert from "node:assert/strict";
import { it } from "node:test";
import { FakeClock, timestamp } from "../../clock/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createNodeLifecycleController } from "./mod.js";

function readyOf(store: Store, name: string): string | undefined {
  const conditions: { type: string; status: string }[] = store.get({ kind: "Node", name })?.status?.conditions ?? [];
  return conditions.find((condition) => condition.type === "Ready")?.status;
}

it("the node-lifecycle controller marks a node Unknown once its lease is older than the grace period, not before", async () => {
  const clock = new FakeClock();
  const store = createMemoryStore({ now: () => clock.now() });
  store.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: {}, status: { conditions: [{ type: "Ready", status: "True" }] } });
  const lease = store.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "n1", namespace: "kube-node-lease" }, spec: { renewTime: timestamp(clock.now()) } });
  const controller = createNodeLifecycleController({ store, clock, gracePeriodMs: 40_000 });
  await controller.start();
  await controller.settled();
  clock.advance(30_000);
  store.update({ ...lease, spec: { renewTime: timestamp(clock.now()) } });
  await controller.settled();
  clock.advance(40_000);
  await controller.settled();
  assert.equal(readyOf(store, "n1"), "True", "a renewed lease keeps the node Ready");
  clock.advance(1);
  await controller.settled();
  assert.equal(readyOf(store, "n1"), "Unknown");
  const node = store.get({ kind: "Node", name: "n1" })!;
  assert.ok(node.spec.taints.some((taint: { key: string }) => taint.key === "node.kubernetes.io/unreachable"));
  await controller.stop();
});
