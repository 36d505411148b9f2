import assert from "node:assert/strict";
import { it } from "node:test";
import type { StoredObject } from "../../store/mod.js";
import { printerFor } from "./_columns.js";
import { toTable } from "./_table.js";

const now = new Date("2026-01-01T01:00:00Z");

function pod(status: any, extra: Partial<StoredObject["metadata"]> = {}, spec: any = {}): StoredObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", creationTimestamp: "2026-01-01T00:00:00Z", ...extra },
    spec: { containers: [{ name: "a" }, { name: "b" }], ...spec },
    status,
  };
}

const cells = (object: StoredObject) => printerFor(object.kind).cells(object, now);

it("the pod STATUS column shows the waiting reason of a crashing container and sums restarts", () => {
  const row = cells(
    pod({
      phase: "Running",
      containerStatuses: [
        { name: "a", ready: true, restartCount: 0, state: { running: {} } },
        { name: "b", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { finishedAt: "2026-01-01T00:55:00Z" } } },
      ],
    }),
  );
  assert.deepEqual(row.slice(0, 5), ["p", "1/2", "CrashLoopBackOff", "4 (5m ago)", "60m"]);
});

it("the pod STATUS column shows init progress, completion and termination as upstream prints them", () => {
  const initializing = pod(
    { phase: "Pending", initContainerStatuses: [{ name: "i", restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }] },
    {},
    { initContainers: [{ name: "i" }], containers: [{ name: "a" }] },
  );
  assert.equal(cells(initializing)[2], "Init:0/1");
  const completed = pod({ phase: "Succeeded", containerStatuses: [{ name: "a", state: { terminated: { reason: "Completed", exitCode: 0 } } }] }, {}, { containers: [{ name: "a" }] });
  assert.equal(cells(completed)[2], "Completed");
  const terminating = pod({ phase: "Running" }, { deletionTimestamp: "2026-01-01T00:59:00Z" });
  assert.equal(cells(terminating)[2], "Terminating");
  assert.equal(cells(pod({ phase: "Pending" }))[5], "<none>", "no IP yet");
});

it("a deployment row reads ready/desired, up-to-date, available, and the wide columns", () => {
  const deployment: StoredObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", creationTimestamp: "2025-12-29T01:00:00Z" },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "main", image: "busybox:1" }] } } },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(cells(deployment), ["web", "2/3", "3", "2", "3d", "main", "busybox:1", "app=web"]);
});

it("table rows carry PartialObjectMetadata with kind and apiVersion, or the whole object on request", () => {
  const object = pod({ phase: "Pending" });
  const table = toTable("Pod", [object], { now, include: "Metadata", revision: "7" }) as any;
  assert.equal(table.kind, "Table");
  assert.equal(table.metadata.resourceVersion, "7");
  assert.deepEqual(table.columnDefinitions[0], { name: "Name", type: "string", format: "name", description: "", priority: 0 });
  assert.equal(table.rows[0].object.kind, "PartialObjectMetadata");
  assert.equal(table.rows[0].object.apiVersion, "meta.k8s.io/v1");
  const whole = toTable("Pod", [object], { now, include: "Object" }) as any;
  assert.equal(whole.rows[0].object, object);
  const later = toTable("Pod", [object], { now, include: "Metadata", withColumns: false }) as any;
  assert.deepEqual(later.columnDefinitions, []);
});
