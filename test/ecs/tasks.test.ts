// Issue 13: ECS tasks run as sandbox pods. RunTask in a private subnet reaches RUNNING with an
// address from that subnet, serves on its port, stops with StopTask (UserInitiated) or when its
// essential container exits (EssentialContainerExited, exit code kept), and its pod and node go
// once it is STOPPED; RunTask's refusals carry ECS's texts; `aws ecs wait tasks-running` and
// `tasks-stopped` return.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateClusterCommand, ECSClient, InvalidParameterException, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { aws, type MoorUnderTest, run, startMoor } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { describeTask, ecsClient, httpdDefinition, privateSubnets, waitForStatus } from "./_ecs.js";

let moor: MoorUnderTest;
let ecs: ECSClient;
before(async () => {
  moor = await startMoor();
  ecs = ecsClient(moor);
  await ecs.send(new CreateClusterCommand({ clusterName: "tasks" }));
  await ecs.send(new RegisterTaskDefinitionCommand(httpdDefinition));
});
after(async () => {
  ecs?.destroy();
  await moor?.dispose();
});

const network = { awsvpcConfiguration: { subnets: [privateSubnets[0]!], securityGroups: [] as string[] } };

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return assert.fail("expected a refusal");
}


describe("ECS tasks on Fargate sandboxes", () => {
  it("RunTask answers PROVISIONING; the task reaches RUNNING with its ENI's address in the subnet, then StopTask stops it", async () => {
    const { tasks, failures } = await ecs.send(new RunTaskCommand({ cluster: "tasks", taskDefinition: "httpd", launchType: "FARGATE", networkConfiguration: network }));
    assert.deepEqual(failures, []);
    const taskArn = tasks![0]!.taskArn!;
    assert.match(taskArn, /^arn:aws:ecs:us-east-1:000000000000:task\/tasks\/[0-9a-f]{32}$/);
    assert.deepEqual([tasks![0]!.lastStatus, tasks![0]!.desiredStatus, tasks![0]!.group, tasks![0]!.platformVersion], ["PROVISIONING", "RUNNING", "family:httpd", "1.4.0"]);
    const running = await waitForStatus(ecs, "tasks", taskArn, "RUNNING");
    const details = Object.fromEntries(running.attachments![0]!.details!.map((detail) => [detail.name, detail.value]));
    assert.equal(running.attachments![0]!.status, "ATTACHED");
    assert.equal(details.subnetId, privateSubnets[0]);
    assert.match(details.privateIPv4Address ?? "", /^10\.42\.0\.\d+$/);
    assert.equal(running.containers![0]!.lastStatus, "RUNNING");
    assert.ok(running.startedAt instanceof Date);
    const taskId = taskArn.split("/").at(-1)!;
    const pod = JSON.parse((await run("kubectl", ["get", "pod", "-n", "aws-ecs", `task-${taskId}`, "-o", "json"], { env: moor.env })).stdout);
    assert.equal(pod.metadata.annotations["moor.dev/subnet-ids"], privateSubnets[0]);
    assert.equal(pod.status.podIP, details.privateIPv4Address);
    const listed = await ecs.send(new ListTasksCommand({ cluster: "tasks" }));
    assert.ok(listed.taskArns?.includes(taskArn));
    const stopping = await ecs.send(new StopTaskCommand({ cluster: "tasks", task: taskArn, reason: "done here" }));
    assert.equal(stopping.task?.desiredStatus, "STOPPED");
    const stopped = await waitForStatus(ecs, "tasks", taskArn, "STOPPED");
    assert.deepEqual([stopped.stopCode, stopped.stoppedReason], ["UserInitiated", "done here"]);
    assert.equal(stopped.attachments![0]!.status, "DELETED");
    assert.ok(stopped.stoppedAt instanceof Date);
    await waitFor("the task's pod and node to go", async () => {
      const names = (await run("kubectl", ["get", "pods,nodes", "-A", "-o", "name"], { env: moor.env })).stdout;
      return !names.includes(`task-${taskId}`) && !names.includes(details.privateIPv4Address!.replaceAll(".", "-")) ? true : undefined;
    });
  });

  it("a task whose essential container exits stops with EssentialContainerExited and the exit code", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ ...httpdDefinition, family: "exits", containerDefinitions: [{ name: "main", image: "busybox", command: ["sh", "-c", "exit 3"] }] }));
    const { tasks } = await ecs.send(new RunTaskCommand({ cluster: "tasks", taskDefinition: "exits", launchType: "FARGATE", networkConfiguration: network }));
    const stopped = await waitForStatus(ecs, "tasks", tasks![0]!.taskArn!, "STOPPED");
    assert.deepEqual([stopped.stopCode, stopped.stoppedReason, stopped.desiredStatus], ["EssentialContainerExited", "Essential container in task exited", "STOPPED"]);
    assert.equal(stopped.containers![0]!.exitCode, 3);
    assert.equal(stopped.containers![0]!.lastStatus, "STOPPED");
  });

  it("RunTask refuses with ECS's exceptions and texts", async () => {
    const noNetwork = await refusal(ecs.send(new RunTaskCommand({ cluster: "tasks", taskDefinition: "httpd", launchType: "FARGATE" })));
    assert.ok(noNetwork instanceof InvalidParameterException);
    assert.equal(noNetwork.message, "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    const badSubnet = await refusal(ecs.send(new RunTaskCommand({ cluster: "tasks", taskDefinition: "httpd", launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0000000000000dead"] } } })));
    assert.equal(badSubnet.message, "Error retrieving subnet information for [subnet-0000000000000dead]: The subnet ID 'subnet-0000000000000dead' does not exist (ErrorCode: InvalidSubnetID.NotFound)");
    const unknown = await refusal(ecs.send(new RunTaskCommand({ cluster: "tasks", taskDefinition: "nope", launchType: "FARGATE", networkConfiguration: network })));
    assert.equal(unknown.message, "TaskDefinition not found.");
    const cluster = await refusal(ecs.send(new RunTaskCommand({ cluster: "nope", taskDefinition: "httpd", launchType: "FARGATE", networkConfiguration: network })));
    assert.equal(cluster.name, "ClusterNotFoundException");
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "ec2only", containerDefinitions: [{ name: "a", image: "busybox", memory: 128 }] }));
    const ec2 = await refusal(ecs.send(new RunTaskCommand({ cluster: "tasks", taskDefinition: "ec2only", launchType: "FARGATE", networkConfiguration: network })));
    assert.equal(ec2.message, "Task definition does not support launch_type FARGATE.");
    const stop = await refusal(ecs.send(new StopTaskCommand({ cluster: "tasks", task: "0123456789abcdef0123456789abcdef" })));
    assert.equal(stop.message, "The referenced task was not found.");
  });

  it("aws ecs run-task, wait tasks-running, stop-task and wait tasks-stopped", async () => {
    const cli = (args: string[]) => aws(moor, ["--endpoint-url", moor.env.AWS_ENDPOINT_URL!, "ecs", ...args]);
    const started = await cli(["run-task", "--cluster", "tasks", "--task-definition", "httpd", "--launch-type", "FARGATE", "--network-configuration", `awsvpcConfiguration={subnets=[${privateSubnets[1]}],assignPublicIp=DISABLED}`, "--query", "tasks[0].taskArn", "--output", "text"]);
    assert.equal(started.code, 0, started.stderr);
    const taskArn = started.stdout.trim();
    const waited = await cli(["wait", "tasks-running", "--cluster", "tasks", "--tasks", taskArn]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal((await describeTask(ecs, "tasks", taskArn))?.lastStatus, "RUNNING");
    assert.equal((await cli(["stop-task", "--cluster", "tasks", "--task", taskArn])).code, 0);
    const stopped = await cli(["wait", "tasks-stopped", "--cluster", "tasks", "--tasks", taskArn]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal((await describeTask(ecs, "tasks", taskArn))?.stoppedReason, "Task stopped by user");
  });
});
