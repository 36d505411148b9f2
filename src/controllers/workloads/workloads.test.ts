import assert from "node:assert/strict";
import { it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { clock, create, pods, runAll, setup, template } from "./_testing.js";

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
