// The ECS service's clusters, task definitions and tags over the in-memory store: answers in
// the model's member names and ECS's exceptions and texts.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import type { Store } from "../../store/mod.js";
import type { EcsOperations } from "./mod.js";
import { guideDefinition, refusal, testService } from "./_testing.js";

let store: Store;
let ecs: EcsOperations;
beforeEach(() => ({ store, ecs } = testService()));

const clusterArn = (name: string) => `arn:aws:ecs:us-west-2:123456789012:cluster/${name}`;

describe("ECS clusters", () => {
  it("CreateCluster answers ACTIVE with ECS's ARN and zero counts; the same name again answers the same cluster", () => {
    const { cluster } = ecs.CreateCluster({ clusterName: "efs-demo", tags: [{ key: "team", value: "a" }] });
    assert.deepEqual([cluster.clusterArn, cluster.clusterName, cluster.status, cluster.runningTasksCount, cluster.activeServicesCount], [clusterArn("efs-demo"), "efs-demo", "ACTIVE", 0, 0]);
    assert.deepEqual(cluster.settings, [{ name: "containerInsights", value: "disabled" }]);
    assert.deepEqual(ecs.CreateCluster({ clusterName: "efs-demo" }).cluster.clusterArn, cluster.clusterArn);
    assert.equal(store.list("EcsCluster").items.length, 1);
    assert.equal(ecs.CreateCluster({}).cluster.clusterName, "default");
  });

  it("DescribeClusters finds by name and ARN, shows tags only with include TAGS, and reports missing ones as failures", () => {
    ecs.CreateCluster({ clusterName: "a", tags: [{ key: "k", value: "v" }] });
    const answer = ecs.DescribeClusters({ clusters: ["a", clusterArn("a"), "nope"] });
    assert.deepEqual(answer.clusters.map((cluster) => cluster.clusterName), ["a", "a"]);
    assert.deepEqual(answer.clusters[0]!.tags, []);
    assert.deepEqual(answer.failures, [{ arn: clusterArn("nope"), reason: "MISSING" }]);
    assert.deepEqual(ecs.DescribeClusters({ clusters: ["a"], include: ["TAGS"] }).clusters[0]!.tags, [{ key: "k", value: "v" }]);
  });

  it("ListClusters pages by maxResults and nextToken", () => {
    for (const name of ["a", "b", "c"]) ecs.CreateCluster({ clusterName: name });
    const first = ecs.ListClusters({ maxResults: 2 });
    assert.deepEqual(first.clusterArns, [clusterArn("a"), clusterArn("b")]);
    assert.deepEqual(ecs.ListClusters({ nextToken: first.nextToken }).clusterArns, [clusterArn("c")]);
  });

  it("DeleteCluster answers INACTIVE and forgets the cluster; an unknown one is ClusterNotFoundException", () => {
    ecs.CreateCluster({ clusterName: "a" });
    assert.equal(ecs.DeleteCluster({ cluster: clusterArn("a") }).cluster.status, "INACTIVE");
    assert.deepEqual(ecs.DescribeClusters({ clusters: ["a"] }).failures, [{ arn: clusterArn("a"), reason: "MISSING" }]);
    const missing = refusal(() => ecs.DeleteCluster({ cluster: "a" }));
    assert.deepEqual([missing.code, missing.message], ["ClusterNotFoundException", "Cluster not found."]);
  });

  it("DeleteCluster refuses while a service is active or a task is not stopped", () => {
    ecs.CreateCluster({ clusterName: "a" });
    store.create({ apiVersion: "ecs.moor.dev/v1", kind: "EcsService", metadata: { namespace: "a", name: "web" }, spec: {}, status: { status: "ACTIVE" } });
    const services = refusal(() => ecs.DeleteCluster({ cluster: "a" }));
    assert.deepEqual([services.code, services.message], ["ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active."]);
    store.delete({ kind: "EcsService", namespace: "a", name: "web" });
    store.create({ apiVersion: "ecs.moor.dev/v1", kind: "EcsTask", metadata: { namespace: "a", name: "t1" }, spec: {}, status: { lastStatus: "RUNNING" } });
    const tasks = refusal(() => ecs.DeleteCluster({ cluster: "a" }));
    assert.deepEqual([tasks.code, tasks.message], ["ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active."]);
  });
});

describe("ECS task definitions", () => {
  it("RegisterTaskDefinition numbers revisions per family and fills ECS's defaults", () => {
    const { taskDefinition } = ecs.RegisterTaskDefinition(guideDefinition);
    assert.equal(taskDefinition.taskDefinitionArn, "arn:aws:ecs:us-west-2:123456789012:task-definition/efs-demo:1");
    assert.deepEqual([taskDefinition.revision, taskDefinition.status, taskDefinition.cpu, taskDefinition.memory], [1, "ACTIVE", "256", "1024"]);
    assert.deepEqual(taskDefinition.compatibilities, ["EC2", "FARGATE"]);
    const [app] = taskDefinition.containerDefinitions as any[];
    assert.deepEqual([app.cpu, app.essential, app.portMappings, app.environment, app.volumesFrom], [0, true, [{ containerPort: 80, hostPort: 80, protocol: "tcp" }], [], []]);
    assert.deepEqual(taskDefinition.registeredAt, new Date("2026-01-02T03:04:05Z"));
    assert.equal(ecs.RegisterTaskDefinition(guideDefinition).taskDefinition.revision, 2);
    assert.equal(ecs.RegisterTaskDefinition({ ...guideDefinition, family: "other" }).taskDefinition.revision, 1);
  });

  it("RegisterTaskDefinition reads '1 vCPU' and '2GB' and answers them in units and MiB", () => {
    const { taskDefinition } = ecs.RegisterTaskDefinition({ ...guideDefinition, cpu: "1 vCPU", memory: "2GB" });
    assert.deepEqual([taskDefinition.cpu, taskDefinition.memory], ["1024", "2048"]);
  });

  it("RegisterTaskDefinition refuses what Fargate refuses with ClientException and ECS's text", () => {
    const bridge = refusal(() => ecs.RegisterTaskDefinition({ ...guideDefinition, networkMode: "bridge" }));
    assert.deepEqual([bridge.code, bridge.message], ["ClientException", "Fargate only supports network mode \u2018awsvpc\u2019."]);
    const size = refusal(() => ecs.RegisterTaskDefinition({ ...guideDefinition, memory: "4096" }));
    assert.equal(size.message, "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.");
    const efs = guideDefinition.volumes[0]!.efsVolumeConfiguration;
    const root = refusal(() => ecs.RegisterTaskDefinition({ ...guideDefinition, volumes: [{ name: "efs-vol", efsVolumeConfiguration: { ...efs, rootDirectory: "/x" } }] }));
    assert.equal(root.message, 'When using an EFS access point, the root directory must either be set to "/" or be omitted');
    assert.equal(store.list("EcsTaskDefinition").items.length, 0);
  });

  it("DescribeTaskDefinition takes family (latest ACTIVE), family:revision and ARN; unknown is ClientException", () => {
    ecs.RegisterTaskDefinition({ ...guideDefinition, tags: [{ key: "k", value: "v" }] });
    ecs.RegisterTaskDefinition(guideDefinition);
    ecs.DeregisterTaskDefinition({ taskDefinition: "efs-demo:2" });
    assert.equal(ecs.DescribeTaskDefinition({ taskDefinition: "efs-demo" }).taskDefinition.revision, 1);
    assert.equal(ecs.DescribeTaskDefinition({ taskDefinition: "efs-demo:2" }).taskDefinition.status, "INACTIVE");
    const byArn = ecs.DescribeTaskDefinition({ taskDefinition: "arn:aws:ecs:us-west-2:123456789012:task-definition/efs-demo:1", include: ["TAGS"] });
    assert.deepEqual(byArn.tags, [{ key: "k", value: "v" }]);
    const missing = refusal(() => ecs.DescribeTaskDefinition({ taskDefinition: "nope" }));
    assert.deepEqual([missing.code, missing.message], ["ClientException", "Unable to describe task definition."]);
  });

  it("ListTaskDefinitions and ListTaskDefinitionFamilies filter by family and status", () => {
    ecs.RegisterTaskDefinition(guideDefinition);
    ecs.RegisterTaskDefinition(guideDefinition);
    ecs.RegisterTaskDefinition({ ...guideDefinition, family: "gone" });
    ecs.DeregisterTaskDefinition({ taskDefinition: "gone:1" });
    const arn = (name: string) => `arn:aws:ecs:us-west-2:123456789012:task-definition/${name}`;
    assert.deepEqual(ecs.ListTaskDefinitions({}).taskDefinitionArns, [arn("efs-demo:1"), arn("efs-demo:2")]);
    assert.deepEqual(ecs.ListTaskDefinitions({ familyPrefix: "efs-demo", sort: "DESC" }).taskDefinitionArns, [arn("efs-demo:2"), arn("efs-demo:1")]);
    assert.deepEqual(ecs.ListTaskDefinitions({ status: "INACTIVE" }).taskDefinitionArns, [arn("gone:1")]);
    assert.deepEqual(ecs.ListTaskDefinitionFamilies({}).families, ["efs-demo"]);
    assert.deepEqual(ecs.ListTaskDefinitionFamilies({ status: "ALL" }).families, ["efs-demo", "gone"]);
    assert.deepEqual(ecs.ListTaskDefinitionFamilies({ status: "INACTIVE" }).families, ["gone"]);
  });

  it("DeregisterTaskDefinition needs a revision and an existing one; revisions are not reused after it", () => {
    ecs.RegisterTaskDefinition(guideDefinition);
    assert.equal(ecs.DeregisterTaskDefinition({ taskDefinition: "efs-demo:1" }).taskDefinition.status, "INACTIVE");
    assert.equal(refusal(() => ecs.DeregisterTaskDefinition({ taskDefinition: "efs-demo" })).code, "ClientException");
    assert.equal(refusal(() => ecs.DeregisterTaskDefinition({ taskDefinition: "efs-demo:9" })).code, "ClientException");
    assert.equal(ecs.RegisterTaskDefinition(guideDefinition).taskDefinition.revision, 2);
  });
});

describe("ECS tags", () => {
  it("TagResource, UntagResource and ListTagsForResource work on clusters and task definitions", () => {
    const { cluster } = ecs.CreateCluster({ clusterName: "a" });
    ecs.TagResource({ resourceArn: cluster.clusterArn, tags: [{ key: "a", value: "1" }, { key: "b", value: "2" }] });
    ecs.TagResource({ resourceArn: cluster.clusterArn, tags: [{ key: "a", value: "3" }] });
    assert.deepEqual(ecs.ListTagsForResource({ resourceArn: cluster.clusterArn }).tags, [{ key: "b", value: "2" }, { key: "a", value: "3" }]);
    ecs.UntagResource({ resourceArn: cluster.clusterArn, tagKeys: ["b", "zz"] });
    assert.deepEqual(ecs.ListTagsForResource({ resourceArn: cluster.clusterArn }).tags, [{ key: "a", value: "3" }]);
    const { taskDefinition } = ecs.RegisterTaskDefinition(guideDefinition);
    ecs.TagResource({ resourceArn: String(taskDefinition.taskDefinitionArn), tags: [{ key: "x", value: "y" }] });
    assert.deepEqual(ecs.ListTagsForResource({ resourceArn: String(taskDefinition.taskDefinitionArn) }).tags, [{ key: "x", value: "y" }]);
  });

  it("tags on an unknown cluster are ClusterNotFoundException, on a malformed ARN InvalidParameterException", () => {
    assert.equal(refusal(() => ecs.ListTagsForResource({ resourceArn: clusterArn("nope") })).code, "ClusterNotFoundException");
    assert.equal(refusal(() => ecs.TagResource({ resourceArn: "arn:aws:s3:::b", tags: [] })).code, "InvalidParameterException");
  });
});
