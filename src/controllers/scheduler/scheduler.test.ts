import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { loadConfig } from "../../config/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { createScheduler, selectedNodeAnnotation } from "./mod.js";

const config = { ...loadConfig({ MOOR_HOME: "/nonexistent" }) };

function pod(name: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}, namespace = "shop"): StoredObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, spec: { containers: [{ name: "c", image: "busybox" }], ...spec } };
}

function profile(name: string, selectors: unknown[]): StoredObject {
  return { apiVersion: "eks.moor.dev/v1", kind: "FargateProfile", metadata: { name }, spec: { clusterName: "moor", podExecutionRoleArn: "arn", subnets: [], selectors }, status: { status: "ACTIVE" } };
}

function nodeGroupNode(name: string): StoredObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "moor.dev/node-group": "ng" } },
    spec: {},
    status: { conditions: [{ type: "Ready", status: "True" }] },
  };
}

async function settle(store: Store, run: (store: Store) => void) {
  const scheduler = createScheduler({ store, config, agentName: "embedded", clock: new FakeClock() });
  await scheduler.start();
  run(store);
  await scheduler.settled();
  await scheduler.stop();
}

function events(store: Store, reason: string): StoredObject[] {
  return store.list("Event").items.filter((event) => event.reason === reason);
}

describe("scheduler", () => {
  it("gives each pod a profile selects its own Fargate node, spread across zones", async () => {
    const store = createMemoryStore();
    store.create(profile("service", [{ namespace: "shop", labels: { app: "service" } }]));
    store.create(nodeGroupNode("ip-10-42-8-10.ec2.internal"));
    await settle(store, (s) => {
      for (let i = 0; i < 4; i++) s.create(pod(`service-${i}`, { app: "service" }));
      s.create(pod("database-0", { app: "database" }));
    });
    const pods = store.list("Pod").items;
    const fargate = pods.filter((p) => p.metadata.labels?.app === "service");
    assert.equal(new Set(fargate.map((p) => p.spec.nodeName)).size, 4);
    for (const p of fargate) {
      assert.match(p.spec.nodeName, /^fargate-ip-10-42-\d+-\d+\.ec2\.internal$/);
      assert.equal(p.spec.schedulerName, "fargate-scheduler");
      assert.equal(p.metadata.labels?.["eks.amazonaws.com/fargate-profile"], "service");
    }
    const nodes = store.list("Node").items.filter((n) => n.metadata.labels?.["eks.amazonaws.com/compute-type"] === "fargate");
    assert.equal(nodes.length, 4);
    assert.equal(new Set(nodes.map((n) => n.metadata.labels?.["topology.kubernetes.io/zone"])).size, 3, "four pods span the three zones");
    assert.deepEqual(nodes[0]!.spec.taints, [{ key: "eks.amazonaws.com/compute-type", value: "fargate", effect: "NoSchedule" }]);
    assert.equal(pods.find((p) => p.metadata.name === "database-0")!.spec.nodeName, "ip-10-42-8-10.ec2.internal");
    assert.equal(events(store, "Scheduled").length, 5);
  });

  it("places a sandbox pod that names its subnets on a Fargate node of its own in one of them, with no profile", async () => {
    const store = createMemoryStore();
    const subnet = "subnet-042a0000000000002";
    await settle(store, (s) => s.create({ ...pod("task-1", {}, {}, "aws-ecs"), metadata: { name: "task-1", namespace: "aws-ecs", annotations: { "moor.dev/subnet-ids": subnet } } }));
    const placed = store.get({ kind: "Pod", namespace: "aws-ecs", name: "task-1" })!;
    assert.match(placed.spec.nodeName, /^fargate-ip-/);
    const node = store.get({ kind: "Node", name: placed.spec.nodeName })!;
    assert.equal(node.metadata.labels?.["moor.dev/subnet"], subnet);
    assert.equal(placed.metadata.labels?.["eks.amazonaws.com/fargate-profile"], "aws-ecs");
  });

  it("keeps a pod Fargate refuses Pending with the fargate-scheduler's words", async () => {
    const store = createMemoryStore();
    store.create(profile("all", [{ namespace: "shop" }]));
    await settle(store, (s) => s.create(pod("root", {}, { containers: [{ name: "c", securityContext: { privileged: true } }] })));
    const stuck = store.get({ kind: "Pod", namespace: "shop", name: "root" })!;
    assert.equal(stuck.spec.nodeName, undefined);
    const [event] = events(store, "FailedScheduling");
    assert.equal(event?.message, "Pod not supported on Fargate: invalid SecurityContext fields: Privileged");
    assert.equal(event?.source.component, "fargate-scheduler");
    assert.equal(stuck.status.conditions[0].reason, "Unschedulable");
  });

  it("leaves a pod no profile selects Pending when there are no node-group nodes", async () => {
    const store = createMemoryStore();
    await settle(store, (s) => s.create(pod("lonely")));
    assert.equal(events(store, "FailedScheduling")[0]?.message, "no nodes available to schedule pods");
  });

  it("waits for a first-consumer claim, marks it with the chosen node, and binds once it is bound", async () => {
    const store = createMemoryStore();
    store.create(profile("all", [{ namespace: "shop" }]));
    store.create({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "efs" }, provisioner: "efs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer" });
    store.create({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "shop" }, spec: { storageClassName: "efs" }, status: { phase: "Pending" } });
    const scheduler = createScheduler({ store, config, agentName: "embedded", clock: new FakeClock() });
    await scheduler.start();
    store.create(pod("app", {}, { volumes: [{ name: "v", persistentVolumeClaim: { claimName: "data" } }] }));
    await scheduler.idle();
    const claim = store.get({ kind: "PersistentVolumeClaim", namespace: "shop", name: "data" })!;
    const planned = claim.metadata.annotations?.[selectedNodeAnnotation];
    assert.match(planned ?? "", /^fargate-ip-/);
    assert.equal(store.get({ kind: "Pod", namespace: "shop", name: "app" })!.spec.nodeName, undefined);
    store.create({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv1" }, spec: { csi: { driver: "efs.csi.aws.com", volumeHandle: "fs-0123456789abcdef0" } } });
    store.update({ ...claim, spec: { ...claim.spec, volumeName: "pv1" }, status: { phase: "Bound" } });
    await scheduler.idle();
    assert.equal(store.get({ kind: "Pod", namespace: "shop", name: "app" })!.spec.nodeName, planned);
    await scheduler.stop();
  });
});

describe("scheduler node clean-up", () => {
  it("removes a Fargate node once its pod is gone, and keeps node-group nodes", async () => {
    const store = createMemoryStore();
    store.create(profile("all", [{ namespace: "shop" }]));
    store.create(nodeGroupNode("ip-10-42-8-10.ec2.internal"));
    const scheduler = createScheduler({ store, config, agentName: "embedded", clock: new FakeClock() });
    await scheduler.start();
    store.create(pod("short-lived"));
    await scheduler.idle();
    const nodeName = store.get({ kind: "Pod", namespace: "shop", name: "short-lived" })!.spec.nodeName;
    assert.ok(store.get({ kind: "Node", name: nodeName }));
    store.delete({ kind: "Pod", namespace: "shop", name: "short-lived" });
    await scheduler.idle();
    assert.equal(store.get({ kind: "Node", name: nodeName }), undefined);
    assert.ok(store.get({ kind: "Node", name: "ip-10-42-8-10.ec2.internal" }));
    await scheduler.stop();
  });
});
