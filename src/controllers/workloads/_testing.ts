// Shared set-up of the workload controllers' unit tests: an in-memory store with the default
// namespace, the controllers on a fake clock with a seeded random source, and small helpers.

import { afterEach } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { applyDefaults } from "../../domain/kube/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { createWorkloadControllers, type WorkloadControllers } from "./mod.js";

export const clock = new FakeClock(new Date("2026-01-01T00:00:00Z"));
let running: WorkloadControllers | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

export async function setup(time: FakeClock = clock): Promise<{ store: Store; controllers: WorkloadControllers }> {
  const store = createMemoryStore({ now: () => time.now() });
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  let seed = 1;
  const controllers = createWorkloadControllers({ store, clock: time, random: () => ((seed = (seed * 48271) % 2147483647) / 2147483647) });
  await controllers.start();
  running = controllers;
  return { store, controllers };
}

export function create(store: Store, object: any): StoredObject {
  applyDefaults(object);
  object.metadata.namespace ??= "default";
  object.metadata.generation = 1;
  return store.create(object);
}

export function template(image: string) {
  return { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image }] } };
}

export const pods = (store: Store) => store.list("Pod", { namespace: "default" }).items;

/** What the node agent would report: every pending pod running and ready. */
export function runAll(store: Store): void {
  for (const pod of pods(store)) {
    if (pod.status?.phase === "Running" || pod.metadata.deletionTimestamp) continue;
    const conditions = [{ type: "Ready", status: "True", lastTransitionTime: "2025-12-31T00:00:00Z" }];
    store.update({ ...pod, status: { ...pod.status, phase: "Running", conditions, containerStatuses: [{ name: "c", ready: true, state: { running: {} } }] } });
  }
}

