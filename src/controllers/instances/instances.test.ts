// The instance controller over the in-memory store and a fake clock, playing the node agent by
// writing pod status: one pod per instance in aws-ec2 with the sandbox annotations and the user
// data on first boot only; pending → running with the pod's address (published to the metadata
// service); stopping → stopped; start; shutting-down → terminated, removed after an hour.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import type { InstanceMetadata } from "../../engines/metadata/mod.js";
import { createEc2Service, type Ec2Operations, instanceKind } from "../../services/ec2/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { createInstanceController, type InstanceController, instanceNamespace } from "./mod.js";

const call = { region: "us-east-1", accountId: "123456789012", requestId: "r" };
let store: Store;
let ec2: Ec2Operations;
let clock: FakeClock;
let controller: InstanceController;
let published: InstanceMetadata[][];

beforeEach(async () => {
  store = createMemoryStore();
  clock = new FakeClock(new Date("2026-03-01T10:00:00Z"));
  const service = createEc2Service({ store, region: "us-east-1", accountId: "123456789012", clusterName: "moor", now: () => clock.now() });
  service.ensureEmbeddedObjects();
  ec2 = service.operations;
  published = [];
  controller = createInstanceController({ store, clock, ensureImage: async () => "moor.dev/ec2/debian-instance:bookworm", publishMetadata: (instances) => published.push(instances), region: "us-east-1", accountId: "123456789012" });
  await controller.start();
});
afterEach(() => controller.stop());

const podOf = (id: string) => store.get({ kind: "Pod", namespace: instanceNamespace, name: id });
const stateOf = (id: string) => store.get({ kind: instanceKind, name: id })!.status.state;

function runPod(pod: StoredObject, address: string): void {
  store.update({ ...pod, status: { ...pod.status, phase: "Running", podIP: address } });
}

describe("instance controller", () => {
  it("writes one pod per instance with its subnet, groups, size and first-boot user data, and marks it running at the pod's address", async () => {
    const userData = Buffer.from("#!/bin/bash\necho hi\n").toString("base64");
    const id = ec2.RunInstances({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro", UserData: userData }, call).Instances[0]!.InstanceId;
    await controller.settled();
    const pod = podOf(id)!;
    assert.ok(store.get({ kind: "Namespace", name: instanceNamespace }));
    assert.equal(pod.metadata.annotations!["moor.dev/subnet-ids"], store.get({ kind: instanceKind, name: id })!.spec.subnetId);
    assert.equal(pod.metadata.annotations!["moor.dev/security-group-ids"], "sg-042a0000000000001");
    assert.deepEqual(pod.spec.containers[0].resources.limits, { cpu: "2", memory: "1024Mi" });
    assert.deepEqual(pod.spec.containers[0].env.find((entry: any) => entry.name === "MOOR_USER_DATA"), { name: "MOOR_USER_DATA", value: userData });
    runPod(pod, "10.42.0.9");
    await controller.settled();
    assert.equal(stateOf(id), "running");
    assert.deepEqual(published.at(-1)!.map((instance) => [instance.instanceId, instance.privateIp, instance.availabilityZone]), [[id, "10.42.0.9", "us-east-1a"]]);
  });

  it("stops by removing the pod, starts with a new pod that carries no user data, and terminates", async () => {
    const id = ec2.RunInstances({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, UserData: Buffer.from("#!/bin/sh\n").toString("base64") }, call).Instances[0]!.InstanceId;
    await controller.settled();
    runPod(podOf(id)!, "10.42.0.9");
    await controller.settled();
    ec2.StopInstances({ InstanceIds: [id] }, call);
    await controller.settled();
    assert.equal(podOf(id), undefined);
    assert.equal(stateOf(id), "stopped");
    ec2.StartInstances({ InstanceIds: [id] }, call);
    await controller.settled();
    assert.equal(podOf(id)!.spec.containers[0].env.some((entry: any) => entry.name === "MOOR_USER_DATA"), false);
    ec2.TerminateInstances({ InstanceIds: [id] }, call);
    await controller.settled();
    assert.equal(stateOf(id), "terminated");
    clock.advance(3_600_000);
    await controller.settled();
    assert.equal(store.get({ kind: instanceKind, name: id }), undefined);
  });
});
