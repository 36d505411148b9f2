// Issue 13: a task's EFS volume through the mount engine. The guide's policy allows ClientMount
// and ClientWrite only to the task role and only through the access point; a task with that
// role mounts the access point with IAM authorization and writes a file another task reads,
// and a task with another role stops with TaskFailedToStart and ECS's ResourceInitializationError.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { waitFor } from "../kubectl.js";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { awsJson, createAccessPoint, createFileSystem, createMountTargets } from "../stateful/_efs.js";
import { accessPointOnlyPolicy, describeTask, ecsClient, privateSubnets, waitForStatus } from "./_ecs.js";

let moor: MoorUnderTest;
let ecs: ECSClient;
let fileSystemId: string;
let accessPointId: string;
const account = "000000000000";
const taskRole = `arn:aws:iam::${account}:role/ecsTaskRole`;

before(async () => {
  moor = await startMoor();
  ecs = ecsClient(moor);
  fileSystemId = await createFileSystem(moor, "ecs-efs");
  await createMountTargets(moor, fileSystemId);
  accessPointId = await createAccessPoint(moor, fileSystemId, ["--posix-user", "Uid=1000,Gid=1000", "--root-directory", "Path=/web,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=755}"]);
  const policy = accessPointOnlyPolicy(account, fileSystemId, accessPointId, taskRole);
  await awsJson(moor, ["efs", "put-file-system-policy", "--file-system-id", fileSystemId, "--policy", JSON.stringify(policy)]);
  await ecs.send(new CreateClusterCommand({ clusterName: "efs" }));
});
after(async () => {
  ecs?.destroy();
  await moor?.dispose();
});

function definition(family: string, role: string, script: string): RegisterTaskDefinitionCommandInput {
  return {
    family,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "256",
    memory: "512",
    taskRoleArn: role,
    containerDefinitions: [{ name: "app", image: "busybox", command: ["sh", "-c", script], mountPoints: [{ sourceVolume: "web", containerPath: "/www" }] }],
    volumes: [{ name: "web", efsVolumeConfiguration: { fileSystemId, transitEncryption: "ENABLED", authorizationConfig: { accessPointId, iam: "ENABLED" } } }],
  };
}

async function runToStop(family: string): Promise<{ stopCode?: string; stoppedReason?: string; exitCode?: number }> {
  const network = { awsvpcConfiguration: { subnets: [privateSubnets[0]!] } };
  const { tasks } = await ecs.send(new RunTaskCommand({ cluster: "efs", taskDefinition: family, launchType: "FARGATE", networkConfiguration: network }));
  const stopped = await waitForStatus(ecs, "efs", tasks![0]!.taskArn!, "STOPPED", 90_000);
  return { stopCode: stopped.stopCode, stoppedReason: stopped.stoppedReason, exitCode: stopped.containers?.[0]?.exitCode };
}

describe("ECS tasks with an EFS volume", () => {
  it("the task role mounts through the access point with IAM; what one task writes, the next reads", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(definition("writer", taskRole, "echo from-ecs > /www/index.html && id -u > /www/uid")));
    assert.deepEqual(await runToStop("writer"), { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited", exitCode: 0 });
    await ecs.send(new RegisterTaskDefinitionCommand(definition("reader", taskRole, "grep -q from-ecs /www/index.html || exit 7; [ \"$(stat -c %u /www/index.html)\" = 1000 ] || exit 8")));
    assert.equal((await runToStop("reader")).exitCode, 0);
  });

  it("a service of 2 httpd tasks serves the file from the access point to another task, also after scaling to 0 and back", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(definition("web", taskRole, "exec httpd -f -p 80 -h /www")));
    const network = { awsvpcConfiguration: { subnets: privateSubnets.slice(0, 2) } };
    await ecs.send(new CreateServiceCommand({ cluster: "efs", serviceName: "web", taskDefinition: "web", desiredCount: 2, launchType: "FARGATE", networkConfiguration: network }));
    const addresses = async () => {
      await waitFor("service web stable", async () => {
        const service = (await ecs.send(new DescribeServicesCommand({ cluster: "efs", services: ["web"] }))).services![0]!;
        return service.runningCount === service.desiredCount && service.deployments?.length === 1 ? true : undefined;
      }, 90_000);
      const arns = (await ecs.send(new ListTasksCommand({ cluster: "efs", serviceName: "web" }))).taskArns ?? [];
      const tasks = await Promise.all(arns.map((arn) => describeTask(ecs, "efs", arn)));
      return tasks.map((task) => task?.attachments?.[0]?.details?.find((detail) => detail.name === "privateIPv4Address")?.value ?? "");
    };
    const fetchFrom = async (address: string) => {
      const client = `client-${address.replaceAll(".", "-")}`;
      // Retried: the security-group rules for a new sandbox's interface can land just after its
      // first container starts (a packet before them is refused).
      const request = `printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${address} 80 | grep -q from-ecs`;
      const script = `for attempt in 1 2 3 4 5; do ${request} && exit 0; sleep 1; done; exit 1`;
      await ecs.send(new RegisterTaskDefinitionCommand({ ...definition(client, taskRole, script), volumes: [], containerDefinitions: [{ name: "app", image: "busybox", command: ["sh", "-c", script] }] }));
      return (await runToStop(client)).exitCode;
    };
    const first = await addresses();
    assert.equal(first.length, 2);
    for (const address of first) assert.equal(await fetchFrom(address), 0, `GET /index.html from ${address}`);
    await ecs.send(new UpdateServiceCommand({ cluster: "efs", service: "web", desiredCount: 0 }));
    await waitFor("no web tasks", async () => (((await ecs.send(new ListTasksCommand({ cluster: "efs", serviceName: "web" }))).taskArns ?? []).length === 0 ? true : undefined));
    await ecs.send(new UpdateServiceCommand({ cluster: "efs", service: "web", desiredCount: 2 }));
    const again = await addresses();
    assert.equal(await fetchFrom(again[0]!), 0);
    await ecs.send(new DeleteServiceCommand({ cluster: "efs", service: "web", force: true }));
    await waitFor("service web INACTIVE", async () => ((await ecs.send(new DescribeServicesCommand({ cluster: "efs", services: ["web"] }))).services![0]!.status === "INACTIVE" ? true : undefined));
  });

  it("another role is denied by the file-system policy: TaskFailedToStart with ECS's ResourceInitializationError", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(definition("stranger", `arn:aws:iam::${account}:role/other`, "sleep 60")));
    const stopped = await runToStop("stranger");
    assert.equal(stopped.stopCode, "TaskFailedToStart");
    assert.equal(
      stopped.stoppedReason,
      `ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting ${fileSystemId}.efs.us-east-1.amazonaws.com:/' : unsuccessful EFS utils command execution; code: 32`,
    );
  });
});
