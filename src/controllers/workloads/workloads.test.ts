import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { applyDefaults, decideDeletion } from "../../domain/kube/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { createWorkloadControllers, type WorkloadControllers } from "./mod.js";

const clock = new FakeClock(new Date("2026-01-01T00:00:00Z"));
let running: WorkloadControllers | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function setup(time: FakeClock = clock): Promise<{ store: Store; controllers: WorkloadControllers }> {
  const store = createMemoryStore({ now: () => time.now() });
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  let seed = 1;
  const controllers = createWorkloadControllers({ store, clock: time, random: () => ((seed = (seed * 48271) % 2147483647) / 2147483647) });
  await controllers.start();
  running = controllers;
  return { store, controllers };
}

function create(store: Store, object: any): StoredObject {
  applyDefaults(object);
  object.metadata.namespace ??= "default";
  object.metadata.generation = 1;
  return store.create(object);
}

function template(image: string) {
  return { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image }] } };
}

const pods = (store: Store) => store.list("Pod", { namespace: "default" }).items;

/** What the node agent would report: every pending pod running and ready. */
function runAll(store: Store): void {
  for (const pod of pods(store)) {
    if (pod.status?.phase === "Running" || pod.metadata.deletionTimestamp) continue;
    const conditions = [{ type: "Ready", status: "True", lastTransitionTime: "2025-12-31T00:00:00Z" }];
    store.update({ ...pod, status: { ...pod.status, phase: "Running", conditions, containerStatuses: [{ name: "c", ready: true, state: { running: {} } }] } });
  }
}

it("a Deployment gets a ReplicaSet and its pods, and reports them available once they are ready", async () => {
  const { store, controllers } = await setup();
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template("busybox:1") } });
  await controllers.settled();
  const sets = store.list("ReplicaSet").items;
  assert.equal(sets.length, 1);
  assert.equal(sets[0]!.metadata.ownerReferences?.[0]?.kind, "Deployment");
  assert.equal(pods(store).length, 3);
  assert.ok(pods(store).every((pod) => pod.metadata.labels?.["pod-template-hash"] && pod.metadata.name.startsWith(`${sets[0]!.metadata.name}-`)));
  runAll(store);
  await controllers.settled();
  const deployment = store.get({ kind: "Deployment", namespace: "default", name: "web" })!;
  assert.equal(deployment.status.availableReplicas, 3);
  assert.equal(deployment.status.updatedReplicas, 3);
  assert.equal(deployment.status.observedGeneration, 1);
  assert.equal(deployment.status.conditions.find((c: any) => c.type === "Progressing").reason, "NewReplicaSetAvailable");
  assert.ok(store.list("Event", { namespace: "default" }).items.some((event) => event.reason === "ScalingReplicaSet"));
});

it("a rolling update never runs more than replicas + maxSurge pods and ends with only the new template", async () => {
  const { store, controllers } = await setup();
  const spec = { replicas: 4, selector: { matchLabels: { app: "web" } }, template: template("busybox:1"), strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } };
  create(store, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec });
  await controllers.settled();
  runAll(store);
  await controllers.settled();
  const live = store.get({ kind: "Deployment", namespace: "default", name: "web" })!;
  const next = structuredClone(live);
  next.spec.template.spec.containers[0].image = "busybox:2";
  next.metadata.generation = 2;
  store.update(next);
  for (let step = 0; step < 20; step++) {
    await controllers.settled();
    const active = pods(store).filter((pod) => !pod.metadata.deletionTimestamp);
    assert.ok(active.length <= 5, `at most 5 pods run at once, saw ${active.length}`);
    for (const pod of pods(store).filter((pod) => pod.metadata.deletionTimestamp)) store.delete({ kind: "Pod", namespace: "default", name: pod.metadata.name });
    runAll(store);
  }
  await controllers.settled();
  const images = pods(store).map((pod) => pod.spec.containers[0].image);
  assert.deepEqual(images, ["busybox:2", "busybox:2", "busybox:2", "busybox:2"]);
  const sets = store.list("ReplicaSet").items.sort((a, b) => Number(a.metadata.annotations!["deployment.kubernetes.io/revision"]) - Number(b.metadata.annotations!["deployment.kubernetes.io/revision"]));
  assert.deepEqual(sets.map((set) => set.spec.replicas), [0, 4]);
  assert.equal(store.get({ kind: "Deployment", namespace: "default", name: "web" })!.status.updatedReplicas, 4);
});

it("a StatefulSet starts ordinals in order, gives each its claim, and stops the highest first while claims stay", async () => {
  const { store, controllers } = await setup();
  create(store, {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      replicas: 2,
      serviceName: "db",
      selector: { matchLabels: { app: "web" } },
      template: template("busybox:1"),
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } } }],
    },
  });
  await controllers.settled();
  assert.deepEqual(pods(store).map((pod) => pod.metadata.name), ["db-0"], "db-1 waits for db-0 to be ready");
  assert.equal(pods(store)[0]!.spec.volumes[0].persistentVolumeClaim.claimName, "data-db-0");
  runAll(store);
  await controllers.settled();
  runAll(store);
  await controllers.settled();
  assert.deepEqual(pods(store).map((pod) => pod.metadata.name), ["db-0", "db-1"]);
  const set = store.get({ kind: "StatefulSet", namespace: "default", name: "db" })!;
  store.update({ ...set, spec: { ...set.spec, replicas: 0 } });
  await controllers.settled();
  assert.deepEqual(pods(store).map((pod) => pod.metadata.name), []);
  const deletions = store
    .list("Event", { namespace: "default" })
    .items.filter((event) => event.reason === "SuccessfulDelete")
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((event) => event.message);
  assert.deepEqual(deletions, ["delete Pod db-1 in StatefulSet db successful", "delete Pod db-0 in StatefulSet db successful"]);
  assert.deepEqual(store.list("PersistentVolumeClaim").items.map((claim) => claim.metadata.name), ["data-db-0", "data-db-1"]);
});

it("a Job runs pods until its completions succeed, then reports Complete", async () => {
  const { store, controllers } = await setup();
  create(store, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "once", uid: "job-uid" },
    spec: { completions: 2, parallelism: 1, selector: { matchLabels: { job: "once" } }, template: { metadata: { labels: { job: "once" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
  });
  for (let round = 0; round < 2; round++) {
    await controllers.settled();
    const active = pods(store).filter((pod) => pod.status.phase === "Pending");
    assert.equal(active.length, 1, "parallelism 1");
    store.update({ ...active[0]!, status: { ...active[0]!.status, phase: "Succeeded" } });
  }
  await controllers.settled();
  const job = store.get({ kind: "Job", namespace: "default", name: "once" })!;
  assert.equal(job.status.succeeded, 2);
  assert.ok(job.status.conditions.some((c: any) => c.type === "Complete" && c.status === "True"));
});

it("a finished Job with ttlSecondsAfterFinished is deleted once the clock passes its time to live, not before", async () => {
  const time = new FakeClock(new Date("2026-01-01T00:00:00Z"));
  const { store, controllers } = await setup(time);
  create(store, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "brief" },
    spec: { completions: 1, ttlSecondsAfterFinished: 60, selector: { matchLabels: { job: "brief" } }, template: { metadata: { labels: { job: "brief" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
  });
  await controllers.settled();
  const [pod] = pods(store);
  store.update({ ...pod!, status: { ...pod!.status, phase: "Succeeded" } });
  await controllers.settled();
  assert.ok(store.get({ kind: "Job", namespace: "default", name: "brief" })!.status.conditions.some((c: any) => c.type === "Complete"));
  time.advance(59_000);
  await controllers.settled();
  assert.ok(store.get({ kind: "Job", namespace: "default", name: "brief" }), "kept within its time to live");
  time.advance(1_100);
  await controllers.settled();
  assert.equal(store.get({ kind: "Job", namespace: "default", name: "brief" }), undefined);
});

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
