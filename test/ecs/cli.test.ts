// Issue 13: the guides' ECS command lines through the aws CLI v1 with only the endpoint set:
// create-cluster, register-task-definition from a file, describe and list, and ECS's errors
// printed with their exception name and exit status 255.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

const ok = async (args: string[]) => {
  const result = await aws(moor, ["--endpoint-url", moor.env.AWS_ENDPOINT_URL!, ...args]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
};
const refused = (args: string[]) => aws(moor, ["--endpoint-url", moor.env.AWS_ENDPOINT_URL!, ...args]);

const definition = {
  family: "efs-demo",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "1024",
  containerDefinitions: [{ name: "app", image: "busybox", essential: true, portMappings: [{ containerPort: 80, protocol: "tcp" }] }],
};

describe("the guides' ECS command lines", () => {
  it("aws ecs create-cluster and describe-clusters print the cluster; a missing one is a MISSING failure", async () => {
    assert.equal(await ok(["ecs", "create-cluster", "--cluster-name", "efs-demo", "--query", "cluster.status", "--output", "text"]), "ACTIVE");
    const described = JSON.parse(await ok(["ecs", "describe-clusters", "--clusters", "efs-demo", "nope"]));
    assert.equal(described.clusters[0].clusterName, "efs-demo");
    assert.equal(described.failures[0].reason, "MISSING");
  });

  it("aws ecs register-task-definition --cli-input-json file:// registers revision 1, then 2", async () => {
    const file = join(moor.home, "td.json");
    writeFileSync(file, JSON.stringify(definition));
    assert.equal(await ok(["ecs", "register-task-definition", "--cli-input-json", `file://${file}`, "--query", "taskDefinition.revision"]), "1");
    assert.equal(await ok(["ecs", "register-task-definition", "--cli-input-json", `file://${file}`, "--query", "taskDefinition.revision"]), "2");
    assert.equal(await ok(["ecs", "describe-task-definition", "--task-definition", "efs-demo:1", "--query", "taskDefinition.containerDefinitions[0].portMappings[0].hostPort"]), "80");
    const arns = JSON.parse(await ok(["ecs", "list-task-definitions", "--family-prefix", "efs-demo"])).taskDefinitionArns;
    assert.equal(arns.length, 2);
    assert.equal(await ok(["ecs", "deregister-task-definition", "--task-definition", "efs-demo:1", "--query", "taskDefinition.status", "--output", "text"]), "INACTIVE");
  });

  it("ECS's refusals print their exception and text and exit 255", async () => {
    const file = join(moor.home, "bad-td.json");
    writeFileSync(file, JSON.stringify({ ...definition, networkMode: "bridge" }));
    const bridge = await refused(["ecs", "register-task-definition", "--cli-input-json", `file://${file}`]);
    assert.equal(bridge.code, 255);
    assert.match(bridge.stderr, /An error occurred \(ClientException\) when calling the RegisterTaskDefinition operation: Fargate only supports network mode ‘awsvpc’\./);
    const cluster = await refused(["ecs", "delete-cluster", "--cluster", "nope"]);
    assert.match(cluster.stderr, /\(ClusterNotFoundException\) when calling the DeleteCluster operation: Cluster not found\./);
    const described = await refused(["ecs", "describe-task-definition", "--task-definition", "never"]);
    assert.match(described.stderr, /\(ClientException\) when calling the DescribeTaskDefinition operation: Unable to describe task definition\./);
  });

  it("aws ecs tag-resource and list-tags-for-resource on the cluster", async () => {
    const arn = await ok(["ecs", "describe-clusters", "--clusters", "efs-demo", "--query", "clusters[0].clusterArn", "--output", "text"]);
    await ok(["ecs", "tag-resource", "--resource-arn", arn, "--tags", "key=team,value=storage"]);
    assert.deepEqual(JSON.parse(await ok(["ecs", "list-tags-for-resource", "--resource-arn", arn])).tags, [{ key: "team", value: "storage" }]);
    await ok(["ecs", "untag-resource", "--resource-arn", arn, "--tag-keys", "team"]);
    assert.deepEqual(JSON.parse(await ok(["ecs", "list-tags-for-resource", "--resource-arn", arn])).tags, []);
  });
});
