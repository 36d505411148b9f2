// Issue 13: an ECS service behind an ALB. With `loadBalancers`, each RUNNING task's address and
// container port is registered in the ELBv2 target group and HTTP to the ALB's listener from the
// host answers from the tasks; scaled to 0, the tasks are deregistered (the group is empty, the
// ALB answers 503); scaled back, they serve again. A task whose target fails the group's health
// checks is stopped once the service's grace period is over, with ECS's reason and events, and
// replaced. CreateService refuses bad target groups and containers with ECS's texts.
// Everything through the JavaScript SDK v3.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTasksCommand, type ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { bodies, curl } from "../traffic-lb/_lb.js";
import { ecsClient, httpdDefinition, privateSubnets } from "./_ecs.js";

let moor: MoorUnderTest;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let dnsName = "";
let targetGroupArn = "";
let freeGroupArn = "";

async function targetGroup(name: string, vpcId: string): Promise<string> {
  const input = { Name: name, Protocol: "HTTP" as const, Port: 80, VpcId: vpcId, TargetType: "ip" as const, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 };
  return (await elb.send(new CreateTargetGroupCommand(input))).TargetGroups![0]!.TargetGroupArn!;
}

before(async () => {
  moor = await startMoor();
  ecs = ecsClient(moor);
  elb = new ElasticLoadBalancingV2Client({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" } });
  const vpcId = (await aws(moor, ["ec2", "describe-vpcs", "--endpoint-url", moor.awsEndpoint, "--query", "Vpcs[0].VpcId", "--output", "text"])).stdout.trim();
  const balancer = (await elb.send(new CreateLoadBalancerCommand({ Name: "svc-alb", Subnets: privateSubnets, Type: "application" }))).LoadBalancers![0]!;
  dnsName = balancer.DNSName!;
  targetGroupArn = await targetGroup("svc-tg", vpcId);
  freeGroupArn = await targetGroup("free-tg", vpcId);
  // ECS waits the group's deregistration delay (300 s by default) before stopping a task.
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "1" }] }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: balancer.LoadBalancerArn!, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }] }));
  await ecs.send(new CreateClusterCommand({ clusterName: "lb" }));
  const web = { ...httpdDefinition.containerDefinitions![0]!, command: ["hostname > /tmp/index.html && exec httpd -f -p 80 -h /tmp"] };
  await ecs.send(new RegisterTaskDefinitionCommand({ ...httpdDefinition, family: "lb-web", containerDefinitions: [web] }));
});
after(async () => {
  ecs?.destroy();
  elb?.destroy();
  await moor?.dispose();
});

const network = { awsvpcConfiguration: { subnets: privateSubnets } };

async function refusal(loadBalancers: object[]): Promise<string> {
  try {
    await ecs.send(new CreateServiceCommand({ cluster: "lb", serviceName: "refused", taskDefinition: "lb-web", desiredCount: 1, launchType: "FARGATE", networkConfiguration: network, loadBalancers }));
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return assert.fail("CreateService succeeded");
}

const health = async () => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [];
const describeWeb = async () => (await ecs.send(new DescribeServicesCommand({ cluster: "lb", services: ["web"] }))).services![0]!;

describe("an ECS service behind an ALB", () => {
  it("CreateService refuses a target group that does not exist or has no load balancer, and a container or port the definition lacks", async () => {
    const entry = { targetGroupArn, containerName: "web", containerPort: 80 };
    const missing = targetGroupArn.replace(/[0-9a-f]{16}$/, "0000000000000000");
    assert.equal(await refusal([{ ...entry, targetGroupArn: missing }]), "InvalidParameterException: Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.");
    assert.equal(await refusal([{ ...entry, targetGroupArn: freeGroupArn }]), `InvalidParameterException: The target group with targetGroupArn ${freeGroupArn} does not have an associated load balancer.`);
    assert.equal(await refusal([{ ...entry, containerName: "app" }]), "InvalidParameterException: The container app does not exist in the task definition.");
    assert.equal(await refusal([{ ...entry, containerPort: 8080 }]), "InvalidParameterException: The container web did not have a container port 8080 defined.");
  });

  it("registers the 2 RUNNING tasks' addresses; the ALB answers from both", async () => {
    const loadBalancers = [{ targetGroupArn, containerName: "web", containerPort: 80 }];
    await ecs.send(new CreateServiceCommand({ cluster: "lb", serviceName: "web", taskDefinition: "lb-web", desiredCount: 2, launchType: "FARGATE", networkConfiguration: network, loadBalancers }));
    assert.deepEqual((await describeWeb()).loadBalancers, loadBalancers);
    await waitFor("2 running tasks", async () => (await describeWeb()).runningCount === 2);
    const healthy = await waitFor("2 healthy targets", async () => {
      const targets = await health();
      return targets.length === 2 && targets.every((target) => target.TargetHealth?.State === "healthy") && targets;
    });
    assert.ok(healthy.every((target) => /^10\.42\.\d+\.\d+$/.test(target.Target!.Id!) && target.Target!.Port === 80));
    assert.ok(readFileSync("/etc/hosts", "utf8").includes(` ${dnsName}\n`));
    const answers = await waitFor("answers from both tasks", async () => {
      const got = new Set(await bodies(`http://${dnsName}/`, 8));
      return got.size === 2 && [...got].every((body) => /^task-[0-9a-f]{32}$/.test(body)) && got;
    }, 30_000);
    assert.equal(answers.size, 2);
  });

  it("scaled to 0, its tasks leave the target group and the ALB answers 503; scaled back, they serve again", async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: "lb", service: "web", desiredCount: 0 }));
    await waitFor("no targets", async () => (await health()).length === 0);
    await waitFor("503 with no target", async () => (await curl(`http://${dnsName}/`)).status === 503);
    await waitFor("no running tasks", async () => (await describeWeb()).runningCount === 0);
    await ecs.send(new UpdateServiceCommand({ cluster: "lb", service: "web", desiredCount: 2 }));
    const answer = await waitFor("an answer from a new task", async () => {
      const got = await curl(`http://${dnsName}/`);
      return got.status === 200 && got.body.trim();
    }, 60_000);
    assert.match(answer, /^task-[0-9a-f]{32}$/);
    await waitFor("2 targets again", async () => (await health()).length === 2);
  });

  it("a task failing the group's health checks is stopped once the grace period is over, with ECS's reason and events, and replaced", async () => {
    const failedReason = `Task failed ELB health checks in (target-group ${targetGroupArn})`;
    const stoppedForHealth = async () => {
      const arns = (await ecs.send(new ListTasksCommand({ cluster: "lb", serviceName: "web", desiredStatus: "STOPPED" }))).taskArns ?? [];
      const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster: "lb", tasks: arns }))).tasks ?? [] : [];
      return tasks.filter((task) => task.stoppedReason === failedReason);
    };
    await ecs.send(new UpdateServiceCommand({ cluster: "lb", service: "web", healthCheckGracePeriodSeconds: 3600 }));
    assert.equal((await describeWeb()).healthCheckGracePeriodSeconds, 3600);
    // busybox httpd answers 404 for a file it does not have.
    await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: targetGroupArn, HealthCheckPath: "/missing.html" }));
    await waitFor("both targets unhealthy", async () => {
      const targets = await health();
      return targets.length === 2 && targets.every((target) => target.TargetHealth?.State === "unhealthy");
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.deepEqual(await stoppedForHealth(), [], "within the grace period no task is stopped");
    await ecs.send(new UpdateServiceCommand({ cluster: "lb", service: "web", healthCheckGracePeriodSeconds: 0 }));
    const stopped = await waitFor("a task stopped for its health", async () => {
      const found = await stoppedForHealth();
      return found.length > 0 && found;
    }, 30_000);
    assert.equal(stopped[0]!.stopCode, "ServiceSchedulerInitiated");
    const messages = ((await describeWeb()).events ?? []).map((event) => event.message ?? "");
    const taskId = stopped[0]!.taskArn!.split("/").pop();
    assert.ok(messages.includes(`(service web) (port 80) is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed with these codes: [404]).`), messages.join("\n"));
    assert.ok(messages.includes(`(service web) has stopped 1 running tasks: (task ${taskId}).`), messages.join("\n"));
    await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: targetGroupArn, HealthCheckPath: "/" }));
    await waitFor("2 healthy targets, the replacements' among them", async () => {
      const targets = await health();
      return targets.length === 2 && targets.every((target) => target.TargetHealth?.State === "healthy");
    }, 90_000);
    await waitFor("2 running tasks", async () => (await describeWeb()).runningCount === 2, 60_000);
  });
});
