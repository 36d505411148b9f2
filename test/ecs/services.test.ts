// Issue 13: ECS services on sandboxes through the aws CLI and the SDK: create-service with two
// busybox httpd tasks and `aws ecs wait services-stable`; a new task definition rolls the
// tasks; scaling to 0 and back; delete-service (force) drains to INACTIVE; a task whose
// container health check starts failing is stopped with ECS's reason and replaced.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, waitFor } from "../kubectl.js";
import { describeTask, ecsClient, httpdDefinition, privateSubnets } from "./_ecs.js";

let moor: MoorUnderTest;
let ecs: ECSClient;
before(async () => {
  moor = await startMoor();
  ecs = ecsClient(moor);
  await ecs.send(new CreateClusterCommand({ clusterName: "svc" }));
  await ecs.send(new RegisterTaskDefinitionCommand(httpdDefinition));
  await ecs.send(new RegisterTaskDefinitionCommand(httpdDefinition));
});
after(async () => {
  ecs?.destroy();
  await moor?.dispose();
});

const cli = async (args: string[]) => {
  const result = await aws(moor, ["--endpoint-url", moor.env.AWS_ENDPOINT_URL!, "ecs", ...args]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
};
const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: "svc", services: ["web"] }))).services![0]!;

async function taskDefinitionsOfRunning(): Promise<string[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: "svc", serviceName: "web" }))).taskArns ?? [];
  const tasks = await Promise.all(arns.map((arn) => describeTask(ecs, "svc", arn)));
  return tasks.map((task) => `${task?.taskDefinitionArn?.split("/").at(-1)} ${task?.lastStatus}`).sort();
}

describe("ECS services", () => {
  it("create-service with 2 tasks, then aws ecs wait services-stable", async () => {
    const network = `awsvpcConfiguration={subnets=[${privateSubnets[0]},${privateSubnets[1]}],assignPublicIp=DISABLED}`;
    const created = JSON.parse(await cli(["create-service", "--cluster", "svc", "--service-name", "web", "--task-definition", "httpd:1", "--desired-count", "2", "--launch-type", "FARGATE", "--network-configuration", network]));
    assert.equal(created.service.status, "ACTIVE");
    await cli(["wait", "services-stable", "--cluster", "svc", "--services", "web"]);
    const stable = await service();
    assert.deepEqual([stable.runningCount, stable.desiredCount, stable.deployments?.length, stable.deployments?.[0]?.rolloutState], [2, 2, 1, "COMPLETED"]);
    assert.deepEqual(await taskDefinitionsOfRunning(), ["httpd:1 RUNNING", "httpd:1 RUNNING"]);
  });

  it("update-service to a new revision rolls the tasks; the waiter returns once only the new ones run", async () => {
    const updated = JSON.parse(await cli(["update-service", "--cluster", "svc", "--service", "web", "--task-definition", "httpd:2"]));
    assert.deepEqual(updated.service.deployments.map((deployment: { status: string }) => deployment.status), ["PRIMARY", "ACTIVE"]);
    await cli(["wait", "services-stable", "--cluster", "svc", "--services", "web"]);
    assert.deepEqual(await taskDefinitionsOfRunning(), ["httpd:2 RUNNING", "httpd:2 RUNNING"]);
    const events = (await service()).events?.map((event) => event.message ?? "") ?? [];
    assert.ok(events.some((message) => /^\(service web\) has stopped \d running tasks: /.test(message)), events.join("\n"));
  });

  it("scaling to 0 and back keeps one deployment; delete-service --force drains it to INACTIVE", async () => {
    await cli(["update-service", "--cluster", "svc", "--service", "web", "--desired-count", "0"]);
    await cli(["wait", "services-stable", "--cluster", "svc", "--services", "web"]);
    assert.deepEqual(await taskDefinitionsOfRunning(), []);
    await cli(["update-service", "--cluster", "svc", "--service", "web", "--desired-count", "1"]);
    await cli(["wait", "services-stable", "--cluster", "svc", "--services", "web"]);
    assert.equal((await service()).deployments?.length, 1);
    const refused = await aws(moor, ["--endpoint-url", moor.env.AWS_ENDPOINT_URL!, "ecs", "delete-service", "--cluster", "svc", "--service", "web"]);
    assert.match(refused.stderr, /\(InvalidParameterException\) when calling the DeleteService operation: The service cannot be stopped while it is scaled above 0\./);
    assert.equal(JSON.parse(await cli(["delete-service", "--cluster", "svc", "--service", "web", "--force"])).service.status, "DRAINING");
    await waitFor("service INACTIVE", async () => ((await service()).status === "INACTIVE" ? true : undefined));
    assert.deepEqual(JSON.parse(await cli(["list-services", "--cluster", "svc"])).serviceArns, []);
  });

  it("a task whose container health check starts failing is UNHEALTHY, stopped with ECS's reason, and replaced by a HEALTHY one", async () => {
    const web = httpdDefinition.containerDefinitions![0]!;
    await ecs.send(new RegisterTaskDefinitionCommand({
      ...httpdDefinition,
      family: "checked",
      containerDefinitions: [{ ...web, command: ["touch /tmp/healthy && exec httpd -f -p 80 -h /tmp"], healthCheck: { command: ["CMD-SHELL", "test -f /tmp/healthy"], interval: 5, timeout: 2, retries: 1, startPeriod: 0 } }],
    }));
    await ecs.send(new CreateServiceCommand({ cluster: "svc", serviceName: "checked", taskDefinition: "checked", desiredCount: 1, launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: [privateSubnets[0]!] } } }));
    const running = async () => {
      const arns = (await ecs.send(new ListTasksCommand({ cluster: "svc", serviceName: "checked" }))).taskArns ?? [];
      return (await Promise.all(arns.map((arn) => describeTask(ecs, "svc", arn)))).filter((task) => task?.lastStatus === "RUNNING");
    };
    const healthy = await waitFor("a HEALTHY task", async () => (await running()).find((task) => task?.healthStatus === "HEALTHY"), 60_000);
    assert.equal(healthy!.containers![0]!.healthStatus, "HEALTHY");
    const taskId = healthy!.taskArn!.split("/").at(-1)!;
    const removed = await kubectl(moor, ["exec", "-n", "aws-ecs", `task-${taskId}`, "-c", "web", "--", "rm", "/tmp/healthy"]);
    assert.equal(removed.code, 0, removed.stderr);
    const stopped = await waitFor("the task stopped for its health", async () => {
      const task = await describeTask(ecs, "svc", healthy!.taskArn!);
      return task?.desiredStatus === "STOPPED" && task;
    }, 60_000);
    assert.deepEqual([stopped.stopCode, stopped.stoppedReason, stopped.healthStatus], ["ServiceSchedulerInitiated", "Task failed container health checks", "UNHEALTHY"]);
    const events = (await ecs.send(new DescribeServicesCommand({ cluster: "svc", services: ["checked"] }))).services![0]!.events!.map((event) => event.message);
    assert.ok(events.includes(`(service checked) has stopped 1 running tasks: (task ${taskId}).`), events.join("\n"));
    await waitFor("a HEALTHY replacement", async () => (await running()).find((task) => task?.healthStatus === "HEALTHY" && task.taskArn !== healthy!.taskArn), 60_000);
  });
});
