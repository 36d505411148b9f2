// Issue 13: the guide's stack end to end, on one Moor. An EFS file system with mount targets in
// every zone and an access point; an EC2 instance whose user data mounts it with the guide's NFS
// line and writes index.html; then the guide's policy (ClientMount and ClientWrite only for the
// task role, only through the access point); an ECS service of 2 busybox httpd tasks mounting the
// access point with IAM authorization and the task role serves the file, and so does an EKS pod
// presenting the same role; the tasks' output is in CloudWatch Logs (`aws logs tail` from
// aws-cli v2, `moor logs tail` and `aws logs filter-log-events`); scaling to 0 and
// back keeps the file; a new task definition rolls the tasks with never a moment without a
// RUNNING task or an answer. A task the policy denies is test/ecs/efs.test.ts's last case.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { embeddedVpc } from "../../src/domain/network/mod.js";
import { moorEntry, type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectl, kubectlOk, waitFor } from "../kubectl.js";
import { awsJson, createAccessPoint, createFileSystem, createMountTargets } from "../stateful/_efs.js";
import { accessPointOnlyPolicy, ecsClient, privateSubnets } from "../ecs/_ecs.js";
import { terminateAll } from "./_instances.js";

const account = "000000000000";
const taskRole = `arn:aws:iam::${account}:role/ecsTaskRole`;
const logGroup = "/ecs/guide";
let moor: MoorUnderTest;
let ecs: ECSClient;
let fileSystemId: string;
let accessPointId: string;

before(async () => {
  moor = await startMoor();
  ecs = ecsClient(moor);
  fileSystemId = await createFileSystem(moor, "guide");
  await createMountTargets(moor, fileSystemId);
  accessPointId = await createAccessPoint(moor, fileSystemId, ["--posix-user", "Uid=1000,Gid=1000"]);
  // The guide's security group for the web tier: HTTP from inside the VPC.
  const group = (await awsJson(moor, ["ec2", "describe-security-groups", "--filters", "Name=group-name,Values=default"])).SecurityGroups[0].GroupId;
  await awsJson(moor, ["ec2", "authorize-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "80", "--cidr", "10.42.0.0/16"]);
  await awsJson(moor, ["logs", "create-log-group", "--log-group-name", logGroup]);
  await ecs.send(new CreateClusterCommand({ clusterName: "guide" }));
});
after(async () => {
  ecs?.destroy();
  try {
    if (moor) await terminateAll(moor);
  } finally {
    await moor?.dispose();
  }
});

function webDefinition(banner: string): RegisterTaskDefinitionCommandInput {
  return {
    family: "guide-web",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "256",
    memory: "512",
    executionRoleArn: `arn:aws:iam::${account}:role/ecsTaskExecutionRole`,
    taskRoleArn: taskRole,
    containerDefinitions: [{
      name: "web",
      image: "busybox",
      essential: true,
      entryPoint: ["sh", "-c"],
      command: [`echo ${banner}; exec httpd -f -v -p 80 -h /usr/share/nginx/html`],
      portMappings: [{ containerPort: 80 }],
      mountPoints: [{ sourceVolume: "efs-vol", containerPath: "/usr/share/nginx/html" }],
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logGroup, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" } },
      stopTimeout: 2,
    }],
    volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId, rootDirectory: "/", transitEncryption: "ENABLED", authorizationConfig: { accessPointId, iam: "ENABLED" } } }],
  };
}

interface RunningTask {
  arn: string;
  definition: string;
  address: string;
  /** False once ECS was asked to stop it (it may still be RUNNING while it winds down). */
  staying: boolean;
}

async function runningTasks(): Promise<RunningTask[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: "guide", serviceName: "web" }))).taskArns ?? [];
  if (arns.length === 0) return [];
  const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: "guide", tasks: arns }))).tasks ?? [];
  return tasks.filter((task) => task.lastStatus === "RUNNING").map((task) => ({
    arn: task.taskArn!,
    definition: task.taskDefinitionArn!,
    address: task.attachments?.[0]?.details?.find((detail) => detail.name === "privateIPv4Address")?.value ?? "",
    staying: task.desiredStatus === "RUNNING",
  }));
}

async function stable(revision: number): Promise<RunningTask[]> {
  return waitFor(`service web stable on revision ${revision}`, async () => {
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: "guide", services: ["web"] }))).services![0]!;
    if (service.deployments?.length !== 1 || service.runningCount !== 2) return undefined;
    const tasks = await runningTasks();
    return tasks.length === 2 && tasks.every((task) => task.definition.endsWith(`:${revision}`)) ? tasks : undefined;
  }, 120_000);
}

let lastFailure = "";

/** index.html from an address, fetched from inside the EKS pod: its body, or undefined (lastFailure says why). */
async function fetchPage(address: string): Promise<string | undefined> {
  const result = await kubectl(moor, ["exec", "web-pod", "--", "http-get", "-t", "3", `http://${address}/index.html`]);
  if (result.code === 0) return result.stdout.trim();
  lastFailure = `${address}: exit ${result.code}: ${result.stderr.trim()}`;
  return undefined;
}

/**
 * index.html from any task that is RUNNING and not being stopped when it is asked: the list is
 * read again before each round, since a task listed a few seconds ago may be stopping by now.
 */
async function pageFromStaying(): Promise<string | undefined> {
  for (let round = 0; round < 5; round += 1) {
    for (const task of (await runningTasks()).filter((entry) => entry.staying)) {
      const body = await fetchPage(task.address);
      if (body !== undefined) return body;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}

async function page(address: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const body = await fetchPage(address);
    if (body !== undefined) return body;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return `no answer: ${lastFailure}`;
}

describe("the guide's stack", () => {
  it("an instance's user data mounts the file system with the guide's NFS line and writes index.html", async () => {
    const script = join(moor.home, "guide-user-data.sh");
    writeFileSync(script, [
      "#!/bin/bash",
      "set -e",
      "mkdir -p /home/ec2-user && cd /home/ec2-user && mkdir efs",
      `mount -t nfs -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport ${fileSystemId}.efs.us-east-1.amazonaws.com:/ efs`,
      "echo '<h1>Hello from EFS</h1>' > efs/index.html",
      "echo index-written",
      "",
    ].join("\n"));
    const run = await awsJson(moor, ["ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--instance-type", "t3.micro", "--count", "1", "--subnet-id", embeddedVpc("us-east-1").subnets[0]!.subnetId, "--user-data", `file://${script}`]);
    const id = run.Instances[0].InstanceId as string;
    await waitFor("the user data to write index.html", async () => {
      const result = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "cat", "/var/log/cloud-init-output.log"]);
      return result.code === 0 && result.stdout.includes("index-written") ? true : undefined;
    }, 120_000);
    const policy = accessPointOnlyPolicy(account, fileSystemId, accessPointId, taskRole);
    await awsJson(moor, ["efs", "put-file-system-policy", "--file-system-id", fileSystemId, "--policy", JSON.stringify(policy)]);
  });

  it("an EKS pod presenting the task role mounts the access point with IAM and serves the file", async () => {
    const manifests = `
apiVersion: v1
kind: PersistentVolume
metadata: { name: guide-web }
spec:
  capacity: { storage: 5Gi }
  accessModes: [ReadWriteMany]
  storageClassName: ""
  mountOptions: [tls, iam]
  csi: { driver: efs.csi.aws.com, volumeHandle: "${fileSystemId}::${accessPointId}" }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: guide-web }
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  volumeName: guide-web
  resources: { requests: { storage: 5Gi } }
---
apiVersion: v1
kind: Pod
metadata:
  name: web-pod
  annotations: { moor.dev/iam-role-arn: "${taskRole}" }
spec:
  containers:
    - name: web
      image: busybox
      command: ["httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]
      volumeMounts: [{ name: html, mountPath: /usr/share/nginx/html }]
  volumes:
    - { name: html, persistentVolumeClaim: { claimName: guide-web } }
`;
    await kubectlOk(moor, ["apply", "-f", "-"], manifests);
    await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/web-pod", "--timeout=90s"]);
    assert.equal(await page("127.0.0.1"), "<h1>Hello from EFS</h1>");
  });

  it("an ECS service of 2 httpd tasks mounting the access point with IAM serves the file; their output is in CloudWatch Logs", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition("serving-v1")));
    await ecs.send(new CreateServiceCommand({ cluster: "guide", serviceName: "web", taskDefinition: "guide-web", desiredCount: 2, launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: privateSubnets } } }));
    const tasks = await stable(1);
    for (const task of tasks) assert.equal(await page(task.address), "<h1>Hello from EFS</h1>", `GET /index.html from task ${task.address}`);
    const tail = await waitFor("two tasks' banners in the log group", async () => {
      const result = await run(process.execPath, [moorEntry, "logs", "tail", logGroup], { env: moor.env });
      return result.code === 0 && result.stdout.split("\n").filter((line) => line.includes("serving-v1")).length === 2 ? result.stdout : undefined;
    });
    for (const line of tail.split("\n").filter((entry) => entry.includes("serving-v1"))) assert.match(line, /^\S+ web\/web\/[0-9a-f]{32} serving-v1$/);
    const filtered = await awsJson(moor, ["logs", "filter-log-events", "--log-group-name", logGroup, "--filter-pattern", "serving-v1"]);
    assert.equal(filtered.events.length, 2);
    const awsTail = await run("/usr/bin/aws", ["logs", "tail", logGroup, "--since", "1h", "--endpoint-url", moor.awsEndpoint, "--region", "us-east-1"], { env: { ...moor.env, AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } });
    assert.equal(awsTail.code, 0, awsTail.stderr);
    assert.equal(awsTail.stdout.split("\n").filter((line) => / web\/web\/[0-9a-f]{32} serving-v1$/.test(line)).length, 2, awsTail.stdout);
  });

  it("scaling the service to 0 and back keeps the file", async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: "guide", service: "web", desiredCount: 0 }));
    await waitFor("no web tasks", async () => (((await ecs.send(new ListTasksCommand({ cluster: "guide", serviceName: "web" }))).taskArns ?? []).length === 0 ? true : undefined), 90_000);
    await ecs.send(new UpdateServiceCommand({ cluster: "guide", service: "web", desiredCount: 2 }));
    const tasks = await stable(1);
    assert.equal(await page(tasks[0]!.address), "<h1>Hello from EFS</h1>");
  });

  it("a new task definition rolls the tasks: always a RUNNING task, and every request answered", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition("serving-v2")));
    await ecs.send(new UpdateServiceCommand({ cluster: "guide", service: "web", taskDefinition: "guide-web:2" }));
    const seen = { polls: 0, fewestRunning: Infinity, unanswered: 0, answered: 0 };
    await waitFor("the rollout to revision 2", async () => {
      const tasks = await runningTasks();
      seen.polls += 1;
      seen.fewestRunning = Math.min(seen.fewestRunning, tasks.length);
      // Asked of the RUNNING tasks ECS is not stopping at the time of asking, any of which may
      // answer (a few rounds within seconds: a new task's security-group rules can land just
      // after it runs).
      const body = await pageFromStaying();
      if (body === "<h1>Hello from EFS</h1>") seen.answered += 1;
      else seen.unanswered += 1;
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: "guide", services: ["web"] }))).services![0]!;
      return service.deployments?.length === 1 && tasks.length === 2 && tasks.every((task) => task.definition.endsWith(":2")) ? true : undefined;
    }, 180_000);
    assert.ok(seen.polls >= 2, `the rollout was watched (${seen.polls} polls)`);
    assert.ok(seen.fewestRunning >= 1, `a RUNNING task at every poll (fewest ${seen.fewestRunning})`);
    assert.equal(seen.unanswered, 0, `every request answered (${seen.answered} answered; last failure ${lastFailure})`);
    await ecs.send(new DeleteServiceCommand({ cluster: "guide", service: "web", force: true }));
  });
});
