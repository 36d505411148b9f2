// A service's loadBalancers over the in-memory store, a fake clock and fake target groups:
// CreateService refuses what ECS refuses, with ECS's texts; RUNNING tasks join the target
// group with their address and container port; a stopping task leaves it first and stays
// DEACTIVATING for the group's deregistration delay before its containers stop. A task whose
// target fails its health checks is stopped with ECS's reason once the service's grace period
// is over, and the service starts its replacement.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { TargetHealthWatcher } from "./mod.js";
import { type Fixture, FakeTargetGroups, fixture, runPods, settle, subnet } from "./_testing.js";

const groupArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef";
let f: Fixture;
let groups: FakeTargetGroups;
beforeEach(async () => {
  groups = new FakeTargetGroups();
  groups.add(groupArn, { deregistrationDelaySeconds: 5, healthCheck: { intervalSeconds: 5, unhealthyThreshold: 3 } });
  f = await fixture(groups);
  f.ecs.RegisterTaskDefinition({ family: "web", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "app", image: "busybox", portMappings: [{ containerPort: 8080 }] }] });
});
afterEach(() => f.controller.stop());

const network = { awsvpcConfiguration: { subnets: [subnet] } };
const create = (loadBalancers: object[], desiredCount = 2) =>
  f.ecs.CreateService({ cluster: "demo", serviceName: "web", taskDefinition: "web", desiredCount, launchType: "FARGATE", networkConfiguration: network, loadBalancers: loadBalancers as never }).service;

function refusal(loadBalancers: object[]): string {
  try {
    create(loadBalancers);
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
  return assert.fail("CreateService succeeded");
}

describe("ECS services with loadBalancers", () => {
  it("CreateService refuses a missing or unattached target group, an instance one, and a container or port the definition lacks", () => {
    groups.add("arn:tg/free", { loadBalancerArns: [] });
    groups.add("arn:tg/instance", { targetType: "instance" });
    const entry = { targetGroupArn: groupArn, containerName: "app", containerPort: 8080 };
    assert.equal(refusal([{ ...entry, targetGroupArn: "arn:tg/none" }]), "InvalidParameterException: Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.");
    assert.equal(refusal([{ ...entry, targetGroupArn: "arn:tg/free" }]), "InvalidParameterException: The target group with targetGroupArn arn:tg/free does not have an associated load balancer.");
    assert.equal(refusal([{ ...entry, targetGroupArn: "arn:tg/instance" }]), "InvalidParameterException: The provided target group arn:tg/instance has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.");
    assert.equal(refusal([{ ...entry, containerName: "web" }]), "InvalidParameterException: The container web does not exist in the task definition.");
    assert.equal(refusal([{ ...entry, containerPort: 80 }]), "InvalidParameterException: The container app did not have a container port 80 defined.");
    assert.deepEqual(create([entry]).loadBalancers, [entry]);
  });

  it("RUNNING tasks are registered with their address and container port; scaling to 0 deregisters them, drains, then stops them", async () => {
    create([{ targetGroupArn: groupArn, containerName: "app", containerPort: 8080 }]);
    await settle(f);
    assert.deepEqual([...groups.groups.get(groupArn)!.targets], [], "nothing registers before the tasks run");
    runPods(f.store);
    await settle(f);
    const addresses = f.store.list("EcsTask", { namespace: "demo" }).items.map((task) => `${task.status?.privateIPv4Address}:8080`);
    assert.deepEqual([...groups.groups.get(groupArn)!.targets].sort(), addresses.sort());
    f.ecs.UpdateService({ cluster: "demo", service: "web", desiredCount: 0 });
    await settle(f);
    assert.deepEqual([...groups.groups.get(groupArn)!.targets], []);
    const statuses = () => f.store.list("EcsTask", { namespace: "demo" }).items.map((task) => task.status?.lastStatus);
    assert.deepEqual(statuses(), ["DEACTIVATING", "DEACTIVATING"], "draining for the group's deregistration delay");
    f.clock.advance(5_000);
    await settle(f, 60);
    assert.deepEqual(statuses(), ["STOPPED", "STOPPED"]);
  });

  it("a task failing its target group's health checks is stopped once the grace period is over, with ECS's reason and events, and replaced", async () => {
    const service = f.ecs.CreateService({ cluster: "demo", serviceName: "web", taskDefinition: "web", desiredCount: 2, launchType: "FARGATE", networkConfiguration: network, healthCheckGracePeriodSeconds: 60, loadBalancers: [{ targetGroupArn: groupArn, containerName: "app", containerPort: 8080 }] as never }).service;
    assert.equal(service.healthCheckGracePeriodSeconds, 60);
    await settle(f);
    runPods(f.store);
    await settle(f);
    const [sick, well] = f.store.list("EcsTask", { namespace: "demo" }).items;
    groups.unhealthy.add(`${sick!.status?.privateIPv4Address}:8080`);
    const watcher = new TargetHealthWatcher({ store: f.store, clock: f.clock, ecs: f.service, targetGroups: groups });
    assert.deepEqual(await watcher.sweep(), [], "within the grace period nothing is stopped");
    f.clock.advance(60_000);
    assert.deepEqual(await watcher.sweep(), [], "unhealthy for the first time: ELB waits for 3 failures 5 s apart");
    f.clock.advance(9_000);
    assert.deepEqual(await watcher.sweep(), []);
    f.clock.advance(1_000);
    assert.deepEqual(await watcher.sweep(), [sick!.metadata.name]);
    assert.deepEqual(await watcher.sweep(), [], "a task told to stop is not stopped again");
    const task = (name: string) => f.store.get({ kind: "EcsTask", namespace: "demo", name })!;
    assert.equal(task(sick!.metadata.name).spec?.desiredStatus, "STOPPED");
    assert.equal(task(sick!.metadata.name).spec?.stoppedReason, `Task failed ELB health checks in (target-group ${groupArn})`);
    assert.equal(task(well!.metadata.name).spec?.desiredStatus, "RUNNING");
    const events = (f.ecs.DescribeServices({ cluster: "demo", services: ["web"] }).services![0]!.events ?? []).map((event: { message?: string }) => event.message);
    assert.deepEqual(events.slice(0, 2), [
      `(service web) has stopped 1 running tasks: (task ${sick!.metadata.name}).`,
      `(service web) (port 8080) is unhealthy in (target-group ${groupArn}) due to (reason Health checks failed with these codes: [404]).`,
    ]);
    await settle(f);
    const live = f.store.list("EcsTask", { namespace: "demo" }).items.filter((item) => item.spec?.desiredStatus === "RUNNING");
    assert.equal(live.length, 2, "the service starts a replacement");
    assert.ok(!live.some((item) => item.metadata.name === sick!.metadata.name));
  });
});
