// Issue 15, walkthrough 3: examples/nginx-ecs-eks/walkthrough.sh (the ECS and EFS guide's stack
// with the real nginx image, through ALBs) against a Moor of its own. An EC2 instance's user
// data writes index.html through EFS; from this host, by the ALBs' names, the ECS service's 2
// tasks (both healthy targets of its target group) and the EKS pods behind the Ingress serve
// that file and not the image's own page; scaling the service to 0 and back keeps it.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DeleteServiceCommand, DescribeServicesCommand, DescribeTasksCommand, type ECSClient, ListTasksCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectlJson, waitFor } from "../kubectl.js";
import { ecsClient } from "../ecs/_ecs.js";
import { terminateAll } from "../instances/_instances.js";
import { seedExampleImages } from "./_images.js";
import { runWalkthrough } from "./_walkthrough.js";

const enabled = process.env.MOOR_TEST_EXAMPLE_IMAGES !== "0";
const walkthroughTimeoutMs = 400_000;
const page = "<h1>Hello from EFS</h1>";

interface Answer {
  status: number;
  server: string;
  body: string;
}

/** One GET from the host; the ALB's name resolves through /etc/hosts. */
async function get(url: string): Promise<Answer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, server: response.headers.get("server") ?? "", body: (await response.text()).trim() };
  } catch (error) {
    return { status: 0, server: "", body: String(error) };
  }
}

describe("the nginx walkthrough (ECS and EKS on EFS, through ALBs)", { skip: !enabled && "MOOR_TEST_EXAMPLE_IMAGES=0" }, () => {
  let moor: MoorUnderTest;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;
  let logs: CloudWatchLogsClient;
  let home = "";
  let output = "";
  let ecsUrl = "";
  let eksUrl = "";

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "moor-test-"));
    await seedExampleImages(home, [{ app: "nginx", tag: "moor-examples/nginx:latest" }]);
    const startedAt = Date.now();
    moor = await startMoor({ home });
    console.log(`# Moor started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    ecs = ecsClient(moor);
    const client = { endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" } };
    elb = new ElasticLoadBalancingV2Client(client);
    logs = new CloudWatchLogsClient(client);
  });
  after(async () => {
    ecs?.destroy();
    elb?.destroy();
    logs?.destroy();
    const startedAt = Date.now();
    try {
      // The service would start new tasks in place of the pods Moor's disposal deletes.
      if (moor) await stopService();
      if (moor) await terminateAll(moor);
      console.log(`# the service deleted and the instance terminated in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    } finally {
      await moor?.dispose();
      console.log(`# terminated and Moor stopped in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      if (home) rmSync(home, { recursive: true, force: true });
    }
  });

  async function stopService(): Promise<void> {
    const listed = await ecs.send(new DescribeServicesCommand({ cluster: "nginx-efs", services: ["nginx"] })).catch(() => undefined);
    if (!listed?.services?.length) return;
    await ecs.send(new DeleteServiceCommand({ cluster: "nginx-efs", service: "nginx", force: true }));
    await waitFor("the service's tasks' pods to go", async () => (await kubectlJson(moor, ["get", "pods", "-n", "aws-ecs"])).items.length === 0, 60_000);
  }

  const targetGroupArn = async () => (await elb.send(new DescribeTargetGroupsCommand({ Names: ["nginx-efs-tg"] }))).TargetGroups![0]!.TargetGroupArn!;
  const targets = async () => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: await targetGroupArn() }))).TargetHealthDescriptions ?? [];

  /** The addresses of the service's RUNNING tasks. */
  async function taskAddresses(): Promise<string[]> {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: "nginx-efs", serviceName: "nginx" }))).taskArns ?? [];
    if (arns.length === 0) return [];
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: "nginx-efs", tasks: arns }))).tasks ?? [];
    return tasks
      .filter((task) => task.lastStatus === "RUNNING")
      .map((task) => task.attachments?.[0]?.details?.find((detail) => detail.name === "privateIPv4Address")?.value ?? "")
      .sort();
  }

  /** Waits until the target group holds exactly the 2 RUNNING tasks' addresses, both healthy. */
  async function twoHealthyTasks(): Promise<string[]> {
    return waitFor("the 2 RUNNING tasks as the 2 healthy targets", async () => {
      const [described, addresses] = [await targets(), await taskAddresses()];
      const healthy = described.filter((target) => target.TargetHealth?.State === "healthy").map((target) => target.Target!.Id!).sort();
      return addresses.length === 2 && described.length === 2 && JSON.stringify(healthy) === JSON.stringify(addresses) && addresses;
    }, 120_000);
  }

  /** `count` GETs in a row: every one must answer the instance's page, from nginx. */
  async function assertServesPage(url: string, count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const answer = await get(url);
      assert.deepEqual([answer.status, answer.body], [200, page], `request ${index + 1} to ${url}`);
      assert.match(answer.server, /^nginx\/\d/, "the Server header");
    }
  }

  it("walkthrough.sh runs to its end and prints both ALBs' URLs", async () => {
    const walked = await runWalkthrough(moor, "nginx-ecs-eks", home, walkthroughTimeoutMs);
    output = walked.output;
    ecsUrl = walked.stdout.match(/^ECS: (http:\/\/\S+)$/m)?.[1] ?? "";
    eksUrl = walked.stdout.match(/^EKS: (http:\/\/\S+)$/m)?.[1] ?? "";
    assert.match(ecsUrl, /^http:\/\/nginx-efs-alb-\d+\.us-east-1\.elb\.amazonaws\.com\/$/);
    assert.match(eksUrl, /^http:\/\/k8s-default-nginx-[0-9a-f]{10}-\d+\.us-east-1\.elb\.amazonaws\.com\/$/);
    // What the guide's lines print along the way.
    assert.match(output, /^account \d{12}, VPC vpc-[0-9a-f]{17} \(10\.42\.0\.0\/16\), private subnets (subnet-[0-9a-f]{17} ?){3}, public subnets (subnet-[0-9a-f]{17} ?){3}, security group sg-[0-9a-f]{17}$/m);
    assert.match(output, /^file system fs-[0-9a-f]{17}, access point fsap-[0-9a-f]{17}$/m);
    assert.match(output, /^instance i-[0-9a-f]{17} wrote index\.html$/m);
    assert.match(output, /^task role arn:aws:iam::\d{12}:role\/ecsTaskRole$/m);
    assert.equal(output.match(/^10\.42\.\d+\.\d+\t80\thealthy$/gm)?.length, 2, "describe-target-health's 2 healthy targets");
    assert.equal(output.match(/^<h1>Hello from EFS<\/h1>$/gm)?.length, 2, "curl through each ALB");
  });

  it("the ECS service's ALB answers the instance's index.html from nginx, with its 2 tasks as the healthy targets", async () => {
    assert.ok(ecsUrl, "the walkthrough gave no ECS URL");
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: "nginx-efs", services: ["nginx"] }))).services![0]!;
    assert.deepEqual([service.desiredCount, service.runningCount, service.loadBalancers?.[0]?.containerName], [2, 2, "nginx"]);
    const addresses = await twoHealthyTasks();
    assert.ok(addresses.every((address) => /^10\.42\.\d+\.\d+$/.test(address)), addresses.join(" "));
    await assertServesPage(ecsUrl, 10);
    // nginx's access log (the awslogs driver ships it, a stream per task) shows this host's
    // requests (user agent "node") in both tasks' streams: the ALB spread them.
    const streams = await waitFor("this host's requests in both tasks' access logs", async () => {
      const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: "/ecs/nginx-efs", filterPattern: '"GET / HTTP/1.1"' }));
      const named = new Set((events ?? []).filter((event) => / 200 \d+ "-" "node"$/.test(event.message ?? "")).map((event) => event.logStreamName));
      return named.size === 2 && named;
    }, 30_000);
    assert.ok([...streams].every((name) => /^nginx\/nginx\/[0-9a-f]{32}$/.test(name ?? "")), [...streams].join(" "));
  });

  it("the EKS Ingress's ALB answers the same file from nginx pods on Fargate", async () => {
    assert.ok(eksUrl, "the walkthrough gave no EKS URL");
    const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app=nginx"])).items as any[];
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.match(pod.spec.nodeName, /^fargate-ip-/);
      assert.equal(pod.spec.containers[0].image, "moor-examples/nginx:latest");
    }
    await assertServesPage(eksUrl, 10);
  });

  it("keeps the file when the ECS service is scaled to 0 (the ALB answers 503) and back to 2", async () => {
    assert.ok(ecsUrl, "the walkthrough gave no ECS URL");
    const taskArns = async () => (await ecs.send(new ListTasksCommand({ cluster: "nginx-efs", serviceName: "nginx" }))).taskArns ?? [];
    const earlier = await taskArns();
    assert.equal(earlier.length, 2);
    await ecs.send(new UpdateServiceCommand({ cluster: "nginx-efs", service: "nginx", desiredCount: 0 }));
    await waitFor("no targets", async () => (await targets()).length === 0, 60_000);
    await waitFor("503 with no target", async () => (await get(ecsUrl)).status === 503, 30_000);
    await waitFor("no tasks", async () => (await taskAddresses()).length === 0, 60_000);
    await ecs.send(new UpdateServiceCommand({ cluster: "nginx-efs", service: "nginx", desiredCount: 2 }));
    await twoHealthyTasks();
    const later = await taskArns();
    assert.ok(later.length === 2 && later.every((arn) => !earlier.includes(arn)), `new tasks: ${later.join(" ")}`);
    await assertServesPage(ecsUrl, 10);
    await assertServesPage(eksUrl, 2);
  });
});
