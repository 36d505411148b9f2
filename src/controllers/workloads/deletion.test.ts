import assert from "node:assert/strict";
import { it } from "node:test";
import { decideDeletion } from "../../domain/kube/mod.js";
import type { Store } from "../../store/mod.js";
import { clock, create, pods, runAll, setup, template } from "./_testing.js";

it("the garbage collector removes a deleted Deployment's replica sets and pods", async () => {
  const { store, controllers } = await setup();
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("busybox:1") } });
  await controllers.settled();
  assert.equal(pods(store).length, 2);
  store.delete({ kind: "Deployment", namespace: "default", name: "web" });
  await controllers.settled();
  await controllers.settled();
  assert.equal(store.list("ReplicaSet").items.length, 0);
  assert.equal(pods(store).length, 0);
});

it("deleting a namespace deletes what it holds and then the namespace itself", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "team" }, data: {} });
  await controllers.settled();
  assert.ok(store.get({ kind: "ServiceAccount", namespace: "team", name: "default" }), "a default service account appears");
  const namespace = store.get({ kind: "Namespace", name: "team" })!;
  store.update({ ...namespace, metadata: { ...namespace.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" }, status: { phase: "Terminating" } });
  await controllers.settled();
  await controllers.settled();
  assert.equal(store.get({ kind: "ConfigMap", namespace: "team", name: "c" }), undefined);
  assert.equal(store.get({ kind: "Namespace", name: "team" }), undefined);
});

it("a StatefulSet with whenScaled: Delete removes the claims of the ordinals it scaled away", async () => {
  const { store, controllers } = await setup();
  create(store, {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      replicas: 2,
      podManagementPolicy: "Parallel",
      persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete", whenDeleted: "Retain" },
      selector: { matchLabels: { app: "web" } },
      template: template("busybox:1"),
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } } }],
    },
  });
  await controllers.settled();
  assert.deepEqual(store.list("PersistentVolumeClaim").items.map((claim) => claim.metadata.name), ["data-db-0", "data-db-1"]);
  const set = store.get({ kind: "StatefulSet", namespace: "default", name: "db" })!;
  store.update({ ...set, spec: { ...set.spec, replicas: 1 } });
  await controllers.settled();
  await controllers.settled();
  assert.deepEqual(pods(store).map((pod) => pod.metadata.name), ["db-0"]);
  assert.deepEqual(store.list("PersistentVolumeClaim").items.map((claim) => claim.metadata.name), ["data-db-0"]);
});

it("scaling a deployment mid-rollout shares the change between its replica sets in proportion", async () => {
  const { store, controllers } = await setup();
  const spec = { replicas: 10, selector: { matchLabels: { app: "web" } }, template: template("busybox:1"), strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } };
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec });
  await controllers.settled();
  runAll(store);
  await controllers.settled();
  const live = store.get({ kind: "Deployment", namespace: "default", name: "web" })!;
  store.update({ ...live, metadata: { ...live.metadata, generation: 2 }, spec: { ...live.spec, template: template("busybox:2") } });
  await controllers.settled();
  const sizes = () => Object.fromEntries(store.list("ReplicaSet").items.map((set) => [set.spec.template.spec.containers[0].image, set.spec.replicas]));
  assert.deepEqual(sizes(), { "busybox:1": 10, "busybox:2": 3 });
  const rolling = store.get({ kind: "Deployment", namespace: "default", name: "web" })!;
  store.update({ ...rolling, metadata: { ...rolling.metadata, generation: 3 }, spec: { ...rolling.spec, replicas: 20 } });
  await controllers.settled();
  assert.deepEqual(sizes(), { "busybox:1": 18, "busybox:2": 5 });
});

it("a service's Endpoints list its ready pods' addresses and resolve named target ports", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] } });
  const podWith = (name: string, ip: string, ready: boolean) =>
    store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default", labels: { app: "web" } },
      spec: { nodeName: "n1", containers: [{ name: "c", image: "i", ports: [{ name: "http", containerPort: 8080 }] }] },
      status: { phase: "Running", podIP: ip, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
    });
  podWith("b", "10.42.0.6", true);
  podWith("a", "10.42.0.5", true);
  podWith("c", "10.42.0.7", false);
  await controllers.settled();
  const endpoints = store.get({ kind: "Endpoints", namespace: "default", name: "web" })!;
  assert.deepEqual(endpoints.subsets[0].addresses.map((address: any) => address.ip), ["10.42.0.5", "10.42.0.6"]);
  assert.deepEqual(endpoints.subsets[0].notReadyAddresses.map((address: any) => address.ip), ["10.42.0.7"]);
  assert.deepEqual(endpoints.subsets[0].ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
  store.delete({ kind: "Service", namespace: "default", name: "web" });
  await controllers.settled();
  assert.equal(store.get({ kind: "Endpoints", namespace: "default", name: "web" }), undefined);
});

function deleteAs(store: Store, kind: string, name: string, propagationPolicy: "Background" | "Foreground" | "Orphan"): void {
  const object = store.get({ kind, namespace: "default", name })!;
  const decision = decideDeletion(object, { propagationPolicy }, { now: clock.now(), nodeHasAgent: () => false });
  assert.equal(decision.action, "mark");
  if (decision.action === "mark") store.update(decision.object);
}

it("foreground deletion removes the dependents first, then the owner", async () => {
  const { store, controllers } = await setup();
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("busybox:1") } });
  await controllers.settled();
  deleteAs(store, "Deployment", "web", "Foreground");
  assert.deepEqual(store.get({ kind: "Deployment", namespace: "default", name: "web" })!.metadata.finalizers, ["foregroundDeletion"]);
  for (let round = 0; round < 5; round++) await controllers.settled();
  assert.equal(pods(store).length, 0);
  assert.equal(store.list("ReplicaSet").items.length, 0);
  assert.equal(store.get({ kind: "Deployment", namespace: "default", name: "web" }), undefined);
});

it("orphan deletion removes the owner and leaves its dependents without the owner reference", async () => {
  const { store, controllers } = await setup();
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("busybox:1") } });
  await controllers.settled();
  deleteAs(store, "Deployment", "web", "Orphan");
  for (let round = 0; round < 3; round++) await controllers.settled();
  assert.equal(store.get({ kind: "Deployment", namespace: "default", name: "web" }), undefined);
  const sets = store.list("ReplicaSet").items;
  assert.equal(sets.length, 1);
  assert.equal(sets[0]!.metadata.ownerReferences, undefined);
  assert.equal(pods(store).length, 2);
});

it("a claim being deleted stays while a running pod uses it, and goes once the pod is gone", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "default", finalizers: ["kubernetes.io/pvc-protection"] }, spec: { accessModes: ["ReadWriteMany"] } });
  store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "user", namespace: "default" },
    spec: { containers: [{ name: "c", image: "i" }], volumes: [{ name: "v", persistentVolumeClaim: { claimName: "data" } }] },
    status: { phase: "Running" },
  });
  deleteAs(store, "PersistentVolumeClaim", "data", "Background");
  await controllers.settled();
  assert.ok(store.get({ kind: "PersistentVolumeClaim", namespace: "default", name: "data" })?.metadata.deletionTimestamp, "the claim waits for its pod");
  store.delete({ kind: "Pod", namespace: "default", name: "user" });
  for (let round = 0; round < 3; round++) await controllers.settled();
  assert.equal(store.get({ kind: "PersistentVolumeClaim", namespace: "default", name: "data" }), undefined);
});

it("a paused deployment rolls nothing out but follows its replica count, and resumes the rollout", async () => {
  const { store, controllers } = await setup();
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("busybox:1") } });
  await controllers.settled();
  const live = store.get({ kind: "Deployment", namespace: "default", name: "web" })!;
  store.update({ ...live, spec: { ...live.spec, paused: true, replicas: 3, template: template("busybox:2") } });
  await controllers.settled();
  assert.equal(store.list("ReplicaSet").items.length, 1, "no new replica set while paused");
  assert.equal(store.list("ReplicaSet").items[0]!.spec.replicas, 3);
  const paused = store.get({ kind: "Deployment", namespace: "default", name: "web" })!;
  assert.equal(paused.status.conditions.find((c: any) => c.type === "Progressing").reason, "DeploymentPaused");
  store.update({ ...paused, spec: { ...paused.spec, paused: false } });
  await controllers.settled();
  assert.equal(store.list("ReplicaSet").items.length, 2, "resuming rolls the new template out");
});

it("deleting a namespace with a deployment in it removes everything without the replica set recreating pods", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "team" }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template("busybox:1") } });
  await controllers.settled();
  assert.equal(store.list("Pod", { namespace: "team" }).items.length, 3);
  const namespace = store.get({ kind: "Namespace", name: "team" })!;
  store.update({ ...namespace, metadata: { ...namespace.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" }, status: { phase: "Terminating" } });
  for (let round = 0; round < 5; round++) await controllers.settled();
  for (const kind of ["Pod", "ReplicaSet", "Deployment", "ServiceAccount"]) assert.equal(store.list(kind, { namespace: "team" }).items.length, 0, kind);
  assert.equal(store.get({ kind: "Namespace", name: "team" }), undefined);
});
