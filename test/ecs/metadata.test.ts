// Issue 13: inside an ECS task. A task whose definition has a task role gets ECS's variables;
// from its container, busybox wget reads the task metadata endpoint v4 (container and task
// metadata, container and task stats) and the role's credentials at 169.254.170.2; those credentials, used by the SDK's
// STS client against Moor, are the role's assumed-role session; the SDK's own container
// credentials provider, run in the task's network namespace, accepts the endpoint's answer.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CreateClusterCommand, type ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectl, kubectlJson } from "../kubectl.js";
import { ecsClient, httpdDefinition, privateSubnets, waitForStatus } from "./_ecs.js";

let moor: MoorUnderTest;
let ecs: ECSClient;
let roleArn = "";
let roleId = "";
let taskId = "";
before(async () => {
  moor = await startMoor();
  ecs = ecsClient(moor);
  const iam = new IAMClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" } });
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: "app-task", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  iam.destroy();
  [roleArn, roleId] = [Role!.Arn!, Role!.RoleId!];
  await ecs.send(new CreateClusterCommand({ clusterName: "inside" }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      ...httpdDefinition,
      family: "inside",
      taskRoleArn: roleArn,
      containerDefinitions: [{ name: "app", image: "busybox", essential: true, entryPoint: ["sh", "-c"], command: ["exec sleep 3600"], stopTimeout: 2 }],
    }),
  );
  const { tasks } = await ecs.send(new RunTaskCommand({ cluster: "inside", taskDefinition: "inside", launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: [privateSubnets[1]!] } } }));
  taskId = tasks![0]!.taskArn!.split("/").at(-1)!;
  await waitForStatus(ecs, "inside", tasks![0]!.taskArn!, "RUNNING");
});
after(async () => {
  ecs?.destroy();
  await moor?.dispose();
});

/** A shell line run in the task's container; its output. */
async function inTask(line: string): Promise<string> {
  const result = await kubectl(moor, ["exec", "-n", "aws-ecs", `task-${taskId}`, "--", "sh", "-c", line]);
  assert.equal(result.code, 0, `${line}: ${result.stderr}`);
  return result.stdout;
}

describe("inside an ECS task", () => {
  it("the container has ECS's variables, and the v4 endpoint answers its container and its task", async () => {
    const env = Object.fromEntries((await inTask("env")).trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    assert.match(env.ECS_CONTAINER_METADATA_URI_V4 ?? "", new RegExp(`^http://169\\.254\\.170\\.2/v4/${taskId}-\\d{10}$`));
    assert.equal(env.ECS_CONTAINER_METADATA_URI, env.ECS_CONTAINER_METADATA_URI_V4!.replace("/v4/", "/v3/"));
    assert.match(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? "", /^\/v2\/credentials\/[0-9a-f-]{36}$/);
    assert.equal(env.AWS_REGION, "us-east-1");
    const container = JSON.parse(await inTask('wget -qO- "$ECS_CONTAINER_METADATA_URI_V4"'));
    assert.deepEqual([container.Name, container.DockerId, container.KnownStatus, container.Labels["com.amazonaws.ecs.task-definition-family"]], ["app", env.ECS_CONTAINER_METADATA_URI_V4!.split("/").at(-1), "RUNNING", "inside"]);
    const task = JSON.parse(await inTask('wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task"'));
    const pod = await kubectlJson(moor, ["get", "pod", "-n", "aws-ecs", `task-${taskId}`]);
    assert.deepEqual(
      [task.Cluster, task.TaskARN, task.Family, task.Revision, task.DesiredStatus, task.KnownStatus, task.LaunchType, task.AvailabilityZone],
      ["arn:aws:ecs:us-east-1:000000000000:cluster/inside", `arn:aws:ecs:us-east-1:000000000000:task/inside/${taskId}`, "inside", "1", "RUNNING", "RUNNING", "FARGATE", "us-east-1b"],
    );
    assert.deepEqual(task.Limits, { CPU: 0.25, Memory: 512 });
    assert.deepEqual(task.Containers.map((entry: { Name: string; Networks: { IPv4Addresses: string[] }[] }) => [entry.Name, entry.Networks[0]!.IPv4Addresses]), [["app", [pod.status.podIP]]]);
    assert.equal(JSON.parse(await inTask('wget -qO- "$ECS_CONTAINER_METADATA_URI/task"')).TaskARN, task.TaskARN);
    const stats = JSON.parse(await inTask('wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/stats"'));
    assert.equal(stats.name, task.Containers[0].Name);
    assert.ok(stats.cpu_stats.cpu_usage.total_usage > 0 && stats.cpu_stats.online_cpus > 0 && stats.cpu_stats.system_cpu_usage > 0, JSON.stringify(stats.cpu_stats));
    assert.ok(stats.memory_stats.usage > 0 && stats.memory_stats.limit === 512 * 1024 * 1024, JSON.stringify(stats.memory_stats));
    assert.ok(stats.pids_stats.current >= 1);
    const interfaces = Object.values(stats.networks) as { rx_bytes: number; tx_bytes: number }[];
    assert.ok(interfaces.length === 1 && interfaces[0]!.rx_bytes > 0 && interfaces[0]!.tx_bytes > 0, JSON.stringify(stats.networks));
    const again = JSON.parse(await inTask('wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task/stats"'));
    const ours = again[task.Containers[0].DockerId];
    assert.equal(ours.preread, stats.read, "the second read's preread is the first read");
    assert.ok(ours.precpu_stats.cpu_usage.total_usage === stats.cpu_stats.cpu_usage.total_usage);
  });

  it("the credentials endpoint answers the task role's credentials, which STS says are the role's session", async () => {
    const credentials = JSON.parse(await inTask('wget -qO- "http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"'));
    assert.deepEqual(Object.keys(credentials).sort(), ["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"]);
    assert.equal(credentials.RoleArn, roleArn);
    assert.ok(Date.parse(credentials.Expiration) > Date.now() + 60 * 60_000);
    const sts = new STSClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.Token } });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.deepEqual([identity.Arn, identity.UserId, identity.Account], [`arn:aws:sts::000000000000:assumed-role/app-task/${taskId}`, `${roleId}:${taskId}`, "000000000000"]);
    assert.match(await inTask('wget -qO- "http://169.254.170.2/v2/credentials/00000000-0000-0000-0000-000000000000" 2>&1 || true'), /404/);
  });

  it("the SDK's container credentials provider (fromHttp) takes the endpoint's answer in the task's network namespace", async () => {
    const pod = await kubectlJson(moor, ["get", "pod", "-n", "aws-ecs", `task-${taskId}`]);
    const suffix = `-${String(pod.metadata.uid).replace(/-/g, "").slice(0, 12)}`;
    const namespace = readdirSync("/run/netns").find((name) => name.endsWith(suffix));
    assert.ok(namespace, `no network namespace ends in ${suffix}`);
    const relative = pod.spec.containers[0].env.find((pair: { name: string }) => pair.name === "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").value;
    const probe = fileURLToPath(new URL("./_credentials-probe.js", import.meta.url));
    const result = await run("ip", ["netns", "exec", namespace, process.execPath, probe], { env: { PATH: process.env.PATH, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative } });
    assert.equal(result.code, 0, result.stderr);
    const credentials = JSON.parse(result.stdout);
    assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(credentials.sessionToken && credentials.secretAccessKey && credentials.expiration);
  });
});
