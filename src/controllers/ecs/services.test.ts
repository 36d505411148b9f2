// ECS services over the in-memory store and a fake clock: the service scheduler keeps the
// desired count, rolls a new task definition with old tasks serving until new ones run, scales,
// trips the circuit breaker, drains a deleted service, and replaces a task whose container
// fails its health checks; DescribeServices shows what the services-stable waiter reads.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { isMoorError } from "../../errors/mod.js";
import { type Fixture, fixture, podProgress, runPods, settle, subnet } from "./_testing.js";

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
  register("web");
});
afterEach(() => f.controller.stop());

function register(family: string, command = ["sleep", "3600"]) {
  return f.ecs.RegisterTaskDefinition({ family, networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "app", image: "busybox", command }] }).taskDefinition;
}

const network = { awsvpcConfiguration: { subnets: [subnet] } };
const describe1 = () => f.ecs.DescribeServices({ cluster: "demo", services: ["web"] }).services[0]!;
const tasksOf = (deploymentId?: string) =>
  f.store.list("EcsTask", { namespace: "demo" }).items.filter((task) => task.spec?.desiredStatus === "RUNNING" && (deploymentId === undefined || task.spec?.deploymentId === deploymentId));

function create(desiredCount: number, extra: object = {}) {
  return f.ecs.CreateService({ cluster: "demo", serviceName: "web", taskDefinition: "web", desiredCount, launchType: "FARGATE", networkConfiguration: network, ...extra }).service;
}

describe("ECS services", () => {
  it("CreateService starts the desired tasks (group service:web, startedBy the deployment) and becomes stable once they run", async () => {
    const created = create(2);
    assert.deepEqual([created.status, created.desiredCount, created.deployments.length, created.deployments[0]!.status], ["ACTIVE", 2, 1, "PRIMARY"]);
    await settle(f);
    const deploymentId = created.deployments[0]!.id;
    assert.deepEqual(tasksOf().map((task) => [task.spec?.group, task.spec?.startedBy]), [["service:web", deploymentId], ["service:web", deploymentId]]);
    assert.deepEqual([describe1().pendingCount, describe1().runningCount], [2, 0]);
    runPods(f.store);
    await settle(f);
    const stable = describe1();
    assert.deepEqual([stable.runningCount, stable.pendingCount, stable.deployments.length, stable.deployments[0]!.rolloutState], [2, 0, 1, "COMPLETED"]);
    assert.match(stable.events[0]!.message, /^\(service web\) has reached a steady state\.$/);
    assert.ok(stable.events.some((event) => /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(event.message)));
  });

  it("a new task definition is a new PRIMARY deployment; old tasks serve until the new ones run, then stop", async () => {
    create(2);
    await settle(f);
    runPods(f.store);
    await settle(f);
    const old = describe1().deployments[0]!.id;
    register("web");
    const updated = f.ecs.UpdateService({ cluster: "demo", service: "web", taskDefinition: "web:2" }).service;
    assert.deepEqual(updated.deployments.map((deployment) => deployment.status), ["PRIMARY", "ACTIVE"]);
    const primary = updated.deployments[0]!.id;
    await settle(f);
    assert.equal(tasksOf(primary).length, 2, "maximumPercent 200 lets both new tasks start at once");
    assert.equal(tasksOf(old).length, 2, "minimumHealthyPercent 100 keeps the old tasks while the new ones start");
    runPods(f.store);
    await settle(f);
    assert.equal(tasksOf(old).length, 0);
    const done = describe1();
    assert.deepEqual([done.deployments.length, done.deployments[0]!.id, done.taskDefinition, done.runningCount], [1, primary, "arn:aws:ecs:us-west-2:123456789012:task-definition/web:2", 2]);
  });

  it("UpdateService with only desiredCount keeps the deployment and scales", async () => {
    create(1);
    await settle(f);
    const id = describe1().deployments[0]!.id;
    f.ecs.UpdateService({ cluster: "demo", service: "web", desiredCount: 3 });
    await settle(f);
    assert.deepEqual([describe1().deployments.map((deployment) => deployment.id), tasksOf().length], [[id], 3]);
    f.ecs.UpdateService({ cluster: "demo", service: "web", desiredCount: 0 });
    await settle(f);
    assert.equal(tasksOf().length, 0);
  });

  it("the circuit breaker fails a deployment whose tasks do not start, and rolls back to the previous one", async () => {
    create(1, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
    await settle(f);
    runPods(f.store);
    await settle(f);
    register("web", ["false"]);
    f.ecs.UpdateService({ cluster: "demo", service: "web", taskDefinition: "web:2" });
    for (let round = 0; round < 6 && describe1().taskDefinition.endsWith(":2"); round++) {
      await settle(f);
      runPods(f.store, 1);
      await settle(f);
    }
    runPods(f.store);
    await settle(f);
    const service = describe1();
    assert.equal(service.taskDefinition, "arn:aws:ecs:us-west-2:123456789012:task-definition/web:1");
    assert.equal(service.deployments[0]!.taskDefinition, "arn:aws:ecs:us-west-2:123456789012:task-definition/web:1");
    assert.ok(service.events.some((event) => /deployment failed: tasks failed to start\./.test(event.message)));
    assert.ok(service.events.some((event) => /rolling back to deployment ecs-svc\/\d{19}\./.test(event.message)));
    assert.equal(tasksOf().length, 1);
  });

  it("DeleteService refuses a service scaled above 0 without force; with force it drains to INACTIVE", async () => {
    create(2);
    await settle(f);
    try {
      f.ecs.DeleteService({ cluster: "demo", service: "web" });
      assert.fail("expected a refusal");
    } catch (error) {
      assert.ok(isMoorError(error));
      assert.deepEqual([error.code, error.message], ["InvalidParameterException", "The service cannot be stopped while it is scaled above 0."]);
    }
    assert.equal(f.ecs.DeleteService({ cluster: "demo", service: "web", force: true }).service.status, "DRAINING");
    await settle(f, 60);
    assert.equal(describe1().status, "INACTIVE");
    assert.deepEqual(f.ecs.ListServices({ cluster: "demo" }).serviceArns, []);
    assert.equal(create(1).status, "ACTIVE", "an INACTIVE name can be used again");
  });

  it("DescribeServices reports unknown services as MISSING; UpdateService of one is ServiceNotFoundException", () => {
    assert.deepEqual(f.ecs.DescribeServices({ cluster: "demo", services: ["nope"] }).failures, [{ arn: "arn:aws:ecs:us-west-2:123456789012:service/demo/nope", reason: "MISSING" }]);
    try {
      f.ecs.UpdateService({ cluster: "demo", service: "nope", desiredCount: 1 });
      assert.fail("expected a refusal");
    } catch (error) {
      assert.ok(isMoorError(error));
      assert.deepEqual([error.code, error.message], ["ServiceNotFoundException", "Service not found."]);
    }
  });

  describe("container health checks", () => {
    const healthCheck = { command: ["CMD-SHELL", "wget -qO- http://localhost/ || exit 1"], interval: 5, timeout: 2, retries: 3, startPeriod: 10 };
    const checkedTasks = () => f.store.list("EcsTask", { namespace: "demo" }).items;
    const describeTask = (name: string) => f.ecs.DescribeTasks({ cluster: "demo", tasks: [name] }).tasks[0]!;
    /** The task's pod runs, its container ready or not (the readiness probe's verdict), started now. */
    function podRuns(taskId: string, ready: boolean) {
      const startedAt = f.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z");
      podProgress(f.store, `task-${taskId}`, { nodeName: "n-1", podIP: "10.42.0.50", phase: "Running", containerStatuses: [{ name: "app", ready, containerID: "runc://abc", state: { running: { startedAt } } }] });
    }
    beforeEach(() => {
      f.ecs.RegisterTaskDefinition({ family: "checked", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "app", image: "busybox", healthCheck }] });
    });

    it("a container that never passes is UNKNOWN through its start period and retries, then UNHEALTHY: the service stops the task with ECS's reason and starts another", async () => {
      create(1, { taskDefinition: "checked" });
      await settle(f);
      const [first] = checkedTasks();
      podRuns(first!.metadata.name, false);
      await settle(f);
      const running = describeTask(first!.metadata.name);
      assert.deepEqual([running.lastStatus, running.healthStatus, running.containers[0]!.healthStatus], ["RUNNING", "UNKNOWN", "UNKNOWN"]);
      f.clock.advance(20_000);
      await settle(f);
      assert.equal(describeTask(first!.metadata.name).healthStatus, "UNKNOWN", "10 s start period + 3 checks every 5 s + a 2 s timeout: not judged at 20 s");
      f.clock.advance(8_000);
      await settle(f);
      const stopped = describeTask(first!.metadata.name);
      assert.deepEqual([stopped.desiredStatus, stopped.stopCode, stopped.stoppedReason, stopped.healthStatus], ["STOPPED", "ServiceSchedulerInitiated", "Task failed container health checks", "UNHEALTHY"]);
      assert.ok(describe1().events.some((event) => event.message === `(service web) has stopped 1 running tasks: (task ${first!.metadata.name}).`));
      assert.equal(tasksOf().length, 1, "a replacement runs in its place");
      assert.notEqual(tasksOf()[0]!.metadata.name, first!.metadata.name);
    });

    it("a container that passed is HEALTHY (so is the task); when its checks then fail it is UNHEALTHY at once and replaced", async () => {
      create(1, { taskDefinition: "checked" });
      await settle(f);
      const [first] = checkedTasks();
      podRuns(first!.metadata.name, true);
      await settle(f);
      assert.deepEqual([describeTask(first!.metadata.name).healthStatus, describeTask(first!.metadata.name).containers[0]!.healthStatus], ["HEALTHY", "HEALTHY"]);
      podRuns(first!.metadata.name, false);
      await settle(f);
      assert.equal(describeTask(first!.metadata.name).stoppedReason, "Task failed container health checks");
      assert.equal(tasksOf().length, 1);
    });

    it("within the service's healthCheckGracePeriodSeconds an UNHEALTHY task is left running; after it, it is replaced", async () => {
      create(1, { taskDefinition: "checked", healthCheckGracePeriodSeconds: 60 });
      await settle(f);
      const [first] = checkedTasks();
      podRuns(first!.metadata.name, false);
      await settle(f);
      f.clock.advance(30_000);
      await settle(f);
      assert.deepEqual([describeTask(first!.metadata.name).healthStatus, describeTask(first!.metadata.name).desiredStatus], ["UNHEALTHY", "RUNNING"]);
      f.clock.advance(30_000);
      await settle(f);
      assert.equal(describeTask(first!.metadata.name).stoppedReason, "Task failed container health checks");
    });

    it("a standalone task's container health is reported, and the task is not stopped for it", async () => {
      const [task] = f.ecs.RunTask({ cluster: "demo", taskDefinition: "checked", launchType: "FARGATE", networkConfiguration: network }).tasks;
      const id = task!.taskArn!.split("/").pop()!;
      await settle(f);
      podRuns(id, false);
      f.clock.advance(60_000);
      await settle(f);
      assert.deepEqual([describeTask(id).desiredStatus, describeTask(id).healthStatus], ["RUNNING", "UNHEALTHY"]);
    });
  });
});
