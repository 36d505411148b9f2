// Issue 13: ECS clusters, task definitions and tags through the JavaScript SDK v3 client, which
// is strict about member names and reads timestamps only as epoch numbers; success and ECS's
// documented errors (exception name and text).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-ecs";
import { type MoorUnderTest, startMoor } from "../harness.js";

let moor: MoorUnderTest;
let ecs: ECSClient;
before(async () => {
  moor = await startMoor();
  ecs = new ECSClient({ endpoint: moor.env.AWS_ENDPOINT_URL!, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" }, maxAttempts: 1 });
});
after(async () => {
  ecs?.destroy();
  await moor?.dispose();
});

async function refusal(promise: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  return assert.fail("expected a refusal");
}

export const guideDefinition: RegisterTaskDefinitionCommandInput = {
  family: "sdk-demo",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "1024",
  taskRoleArn: "arn:aws:iam::000000000000:role/ecsTaskRole",
  containerDefinitions: [{ name: "app", image: "busybox", essential: true, portMappings: [{ containerPort: 80 }], mountPoints: [{ sourceVolume: "efs-vol", containerPath: "/www" }] }],
  volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "fsap-0123456789abcdef0", iam: "ENABLED" } } }],
};

describe("ECS clusters through the SDK", () => {
  it("CreateCluster, DescribeClusters (with a MISSING failure), ListClusters, DeleteCluster", async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: "sdk", tags: [{ key: "k", value: "v" }] }));
    assert.equal(cluster?.clusterArn, "arn:aws:ecs:us-east-1:000000000000:cluster/sdk");
    assert.equal(cluster?.status, "ACTIVE");
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ["sdk", "nope"], include: ["TAGS"] }));
    assert.deepEqual(described.clusters?.map((c) => [c.clusterName, c.tags]), [["sdk", [{ key: "k", value: "v" }]]]);
    assert.deepEqual(described.failures, [{ arn: "arn:aws:ecs:us-east-1:000000000000:cluster/nope", reason: "MISSING" }]);
    assert.ok((await ecs.send(new ListClustersCommand({}))).clusterArns?.includes(cluster!.clusterArn!));
    assert.equal((await ecs.send(new DeleteClusterCommand({ cluster: "sdk" }))).cluster?.status, "INACTIVE");
    const missing = await refusal(ecs.send(new DeleteClusterCommand({ cluster: "sdk" })));
    assert.ok(missing instanceof ClusterNotFoundException);
    assert.equal(missing.message, "Cluster not found.");
    assert.equal(missing.$metadata?.httpStatusCode, 400);
  });
});

describe("ECS task definitions through the SDK", () => {
  it("RegisterTaskDefinition answers revision 1 then 2 with registeredAt as a Date and the EFS volume as sent", async () => {
    const first = await ecs.send(new RegisterTaskDefinitionCommand(guideDefinition));
    assert.equal(first.taskDefinition?.revision, 1);
    assert.ok(first.taskDefinition?.registeredAt instanceof Date);
    assert.deepEqual(first.taskDefinition?.volumes?.[0]?.efsVolumeConfiguration?.authorizationConfig, { accessPointId: "fsap-0123456789abcdef0", iam: "ENABLED" });
    assert.deepEqual(first.taskDefinition?.compatibilities, ["EC2", "FARGATE"]);
    assert.equal((await ecs.send(new RegisterTaskDefinitionCommand(guideDefinition))).taskDefinition?.revision, 2);
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "sdk-demo" }));
    assert.equal(latest.taskDefinition?.taskDefinitionArn, "arn:aws:ecs:us-east-1:000000000000:task-definition/sdk-demo:2");
  });

  it("every invalid Fargate combination is a ClientException with ECS's text", async () => {
    const cases: [Partial<RegisterTaskDefinitionCommandInput>, string][] = [
      [{ networkMode: "bridge" }, "Fargate only supports network mode \u2018awsvpc\u2019."],
      [{ cpu: undefined }, "Fargate requires that 'cpu' be defined at the task level."],
      [{ memory: undefined }, "Fargate requires that 'memory' be defined at the task level."],
      [{ cpu: "512", memory: "512" }, "No Fargate configuration exists for given values: 512 CPU, 512 memory. See the Amazon ECS documentation for the valid values."],
      [{ ipcMode: "task" }, "Tasks using the Fargate launch type do not support ipcMode."],
      [{ containerDefinitions: [{ ...guideDefinition.containerDefinitions![0], cpu: 1024 }] }, "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."],
      [{ containerDefinitions: [{ ...guideDefinition.containerDefinitions![0], logConfiguration: { logDriver: "awslogs" } }] }, "Fargate requires task definition to have execution role ARN to support log driver awslogs."],
      [{ containerDefinitions: [{ ...guideDefinition.containerDefinitions![0], hostname: "x" }] }, "hostname is not supported on container when networkMode=awsvpc."],
      [{ containerDefinitions: [{ ...guideDefinition.containerDefinitions![0], image: undefined }] }, "Container.image should not be null or empty."],
      [{ volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId: "fs-1", rootDirectory: "/data", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "fsap-1" } } }] }, 'When using an EFS access point, the root directory must either be set to "/" or be omitted'],
      [{ volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId: "fs-1", authorizationConfig: { accessPointId: "fsap-1" } } }] }, "Transit encryption must be enabled when using an EFS access point."],
      [{ volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId: "fs-1", authorizationConfig: { iam: "ENABLED" } } }] }, "Transit encryption must be enabled when using EFS IAM authorization."],
    ];
    for (const [change, message] of cases) {
      const refused = await refusal(ecs.send(new RegisterTaskDefinitionCommand({ ...guideDefinition, family: "bad", ...change })));
      assert.ok(refused instanceof ClientException, `${message}: ${refused.name}`);
      assert.equal(refused.message, message);
    }
    assert.deepEqual((await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "bad" }))).families, []);
  });

  it("ListTaskDefinitions, DeregisterTaskDefinition, and DescribeTaskDefinition of an unknown family", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ ...guideDefinition, family: "listed" }));
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "listed" }));
    assert.deepEqual(listed.taskDefinitionArns, ["arn:aws:ecs:us-east-1:000000000000:task-definition/listed:1"]);
    const gone = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "listed:1" }));
    assert.equal(gone.taskDefinition?.status, "INACTIVE");
    assert.ok(gone.taskDefinition?.deregisteredAt instanceof Date);
    assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "listed" }))).taskDefinitionArns, []);
    const unknown = await refusal(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "never" })));
    assert.ok(unknown instanceof ClientException);
    assert.equal(unknown.message, "Unable to describe task definition.");
  });

  it("TagResource, ListTagsForResource and UntagResource on a task definition", async () => {
    const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({ ...guideDefinition, family: "tagged" }));
    const resourceArn = taskDefinition!.taskDefinitionArn!;
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: "a", value: "1" }, { key: "b", value: "2" }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ["a"] }));
    assert.deepEqual((await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags, [{ key: "b", value: "2" }]);
  });
});
