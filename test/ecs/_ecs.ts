// What the ECS end-to-end tests share: an SDK client on a running Moor, a task definition of
// busybox containers, the embedded VPC's private subnets, and waiting for a task's status.

import { DescribeTasksCommand, ECSClient, type RegisterTaskDefinitionCommandInput, type Task } from "@aws-sdk/client-ecs";
import type { MoorUnderTest } from "../harness.js";
import { waitFor } from "../kubectl.js";

export const privateSubnets = ["subnet-042a0000000000001", "subnet-042a0000000000002", "subnet-042a0000000000003"];

export function ecsClient(moor: MoorUnderTest): ECSClient {
  return new ECSClient({ endpoint: moor.env.AWS_ENDPOINT_URL!, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" }, maxAttempts: 1 });
}

export const httpdDefinition: RegisterTaskDefinitionCommandInput = {
  family: "httpd",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "512",
  containerDefinitions: [
    { name: "web", image: "busybox", essential: true, entryPoint: ["sh", "-c"], command: ["echo hello > /tmp/index.html && exec httpd -f -p 80 -h /tmp"], portMappings: [{ containerPort: 80 }], stopTimeout: 2 },
  ],
};

export async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task | undefined> {
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))).tasks?.[0];
}

export function waitForStatus(ecs: ECSClient, cluster: string, taskArn: string, status: string, timeoutMs = 60_000): Promise<Task> {
  return waitFor(`task ${taskArn} ${status}`, async () => {
    const task = await describeTask(ecs, cluster, taskArn);
    return task?.lastStatus === status ? task : undefined;
  }, timeoutMs);
}

/**
 * The guide's file-system policy: ClientMount and ClientWrite for `role` only, and only through
 * the access point (the `elasticfilesystem:AccessPointArn` condition).
 */
export function accessPointOnlyPolicy(account: string, fileSystemId: string, accessPointId: string, role: string): object {
  return {
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { AWS: role },
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Resource: `arn:aws:elasticfilesystem:us-east-1:${account}:file-system/${fileSystemId}`,
      Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": `arn:aws:elasticfilesystem:us-east-1:${account}:access-point/${accessPointId}` } },
    }],
  };
}
