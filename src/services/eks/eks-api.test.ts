// The EKS API's operations (what the AWS front end calls) over the in-memory store: clusters,
// Fargate profiles and node groups of several clusters, their outputs in the model's member
// names, and EKS's error codes and texts.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { embeddedVpc } from "../../domain/network/mod.js";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEksService, type EksService } from "./mod.js";

const region = "eu-west-1";
const subnets = embeddedVpc(region).subnets.map((subnet) => subnet.subnetId);
const role = "arn:aws:iam::123456789012:role/r";
let store: Store;
let eks: EksService;
let ids: number;

beforeEach(() => {
  store = createMemoryStore();
  ids = 0;
  eks = createEksService({
    store,
    region,
    accountId: "123456789012",
    kubeEndpoint: () => ({ url: "https://127.0.0.1:7443", certificateAuthority: "Q0E=" }),
    now: () => new Date("2026-01-02T03:04:05Z"),
    randomUuid: () => `0000000${++ids}-aaaa-bbbb-cccc-dddddddddddd`,
  });
});

const call = (operation: string, input: object) => eks.operations[operation]!(input) as any;

function refusal(operation: string, input: object): MoorError {
  try {
    call(operation, input);
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail(`expected ${operation} to be refused`);
}

const createCluster = (name: string) => call("CreateCluster", { name, roleArn: role, resourcesVpcConfig: { subnetIds: subnets } });

describe("EKS clusters", () => {
  it("CreateCluster answers ACTIVE with the kube API's endpoint and CA and the subnets' VPC", () => {
    const { cluster } = createCluster("terrax");
    assert.equal(cluster.status, "ACTIVE");
    assert.deepEqual([cluster.endpoint, cluster.certificateAuthority], ["https://127.0.0.1:7443", { data: "Q0E=" }]);
    assert.equal(cluster.arn, "arn:aws:eks:eu-west-1:123456789012:cluster/terrax");
    assert.deepEqual(cluster.createdAt, new Date("2026-01-02T03:04:05Z"));
    assert.equal(cluster.resourcesVpcConfig.vpcId, embeddedVpc(region).vpcId);
    assert.deepEqual(cluster.resourcesVpcConfig.subnetIds, subnets);
    assert.match(cluster.resourcesVpcConfig.clusterSecurityGroupId, /^sg-[0-9a-f]{17}$/);
    assert.deepEqual(call("DescribeCluster", { name: "terrax" }), { cluster });
  });

  it("CreateCluster refuses a used name, unknown subnets and a single zone with EKS's codes", () => {
    createCluster("terrax");
    const duplicate = refusal("CreateCluster", { name: "terrax", roleArn: role, resourcesVpcConfig: { subnetIds: subnets } });
    assert.deepEqual([duplicate.code, duplicate.message, duplicate.details], ["ResourceInUseException", "Cluster already exists with name: terrax", { clusterName: "terrax" }]);
    assert.equal(refusal("CreateCluster", { name: "b", roleArn: role, resourcesVpcConfig: { subnetIds: ["subnet-nope", subnets[0]] } }).code, "InvalidParameterException");
    assert.equal(refusal("CreateCluster", { name: "c", roleArn: role, resourcesVpcConfig: { subnetIds: [subnets[0]] } }).message, "Subnets specified must be in at least two different AZs");
  });

  it("DescribeCluster of a missing cluster is ResourceNotFoundException with EKS's text", () => {
    const missing = refusal("DescribeCluster", { name: "nope" });
    assert.deepEqual([missing.category, missing.code, missing.message], ["NotFound", "ResourceNotFoundException", "No cluster found for name: nope."]);
  });

  it("ListClusters pages by name", () => {
    for (const name of ["c", "a", "b"]) createCluster(name);
    assert.deepEqual(call("ListClusters", { maxResults: 2 }), { clusters: ["a", "b"], nextToken: "b" });
    assert.deepEqual(call("ListClusters", { nextToken: "b" }), { clusters: ["c"] });
  });

  it("DeleteCluster is refused while profiles or node groups remain, then answers DELETING and the cluster is gone", () => {
    createCluster("terrax");
    call("CreateFargateProfile", { clusterName: "terrax", fargateProfileName: "fp", podExecutionRoleArn: role, selectors: [{ namespace: "a" }] });
    assert.deepEqual([refusal("DeleteCluster", { name: "terrax" }).code, refusal("DeleteCluster", { name: "terrax" }).message], ["ResourceInUseException", "Cluster has fargate profiles attached"]);
    store.delete({ kind: "FargateProfile", name: "terrax.fp" });
    assert.equal(call("DeleteCluster", { name: "terrax" }).cluster.status, "DELETING");
    assert.equal(refusal("DescribeCluster", { name: "terrax" }).code, "ResourceNotFoundException");
  });
});

describe("EKS Fargate profiles", () => {
  beforeEach(() => {
    eks.ensureDefaultCluster({ profile: true });
    createCluster("terrax");
  });

  it("CreateFargateProfile in another cluster may reuse a name of the default cluster's, and is ACTIVE at once", () => {
    const { fargateProfile } = call("CreateFargateProfile", { clusterName: "terrax", fargateProfileName: "fp-default", podExecutionRoleArn: role, selectors: [{ namespace: "tb-demo", labels: { app: "service" } }] });
    assert.equal(fargateProfile.status, "ACTIVE");
    assert.deepEqual([fargateProfile.clusterName, fargateProfile.subnets, fargateProfile.selectors], ["terrax", subnets, [{ namespace: "tb-demo", labels: { app: "service" } }]]);
    assert.match(fargateProfile.fargateProfileArn, /^arn:aws:eks:eu-west-1:123456789012:fargateprofile\/terrax\/fp-default\/[0-9a-f-]{36}$/);
    assert.deepEqual(call("DescribeFargateProfile", { clusterName: "terrax", fargateProfileName: "fp-default" }), { fargateProfile });
    assert.deepEqual(call("ListFargateProfiles", { clusterName: "terrax" }), { fargateProfileNames: ["fp-default"] });
    assert.deepEqual(call("ListFargateProfiles", { clusterName: "moor" }), { fargateProfileNames: ["fp-default"] });
  });

  it("CreateFargateProfile refuses the eks- prefix, a subnet outside the VPC and a missing cluster", () => {
    const input = { clusterName: "terrax", podExecutionRoleArn: role, selectors: [{ namespace: "a" }] };
    const reserved = refusal("CreateFargateProfile", { ...input, fargateProfileName: "eks-x" });
    assert.deepEqual([reserved.code, reserved.message], ["InvalidParameterException", "The fargate profile name starts with the reserved prefix: 'eks-'."]);
    const subnet = refusal("CreateFargateProfile", { ...input, fargateProfileName: "p", subnets: ["subnet-0bad"] });
    assert.equal(subnet.code, "InvalidParameterException");
    assert.match(subnet.message, /Subnet subnet-0bad provided in Fargate Profile is not a private subnet/);
    assert.equal(refusal("CreateFargateProfile", { ...input, clusterName: "nope", fargateProfileName: "p" }).code, "ResourceNotFoundException");
  });

  it("a public subnet is refused for a profile", () => {
    const withPublic = createEksService({ store: createMemoryStore(), region, accountId: "1", subnet: (id) => (/^subnet-pri|^subnet-pub/.test(id) ? { subnetId: id, vpcId: "vpc-1", availabilityZone: id.endsWith("a") ? "a" : "b", public: id.startsWith("subnet-pub") } : undefined) });
    withPublic.operations.CreateCluster!({ name: "c", roleArn: role, resourcesVpcConfig: { subnetIds: ["subnet-priva", "subnet-pubb"] } });
    const refused = (() => {
      try {
        withPublic.operations.CreateFargateProfile!({ clusterName: "c", fargateProfileName: "p", podExecutionRoleArn: role, selectors: [{ namespace: "a" }], subnets: ["subnet-pubb"] });
      } catch (error) {
        return error as MoorError;
      }
      return assert.fail("expected a refusal");
    })();
    assert.match(refused.message, /Subnet subnet-pubb provided in Fargate Profile is not a private subnet/);
    const made = withPublic.operations.CreateFargateProfile!({ clusterName: "c", fargateProfileName: "q", podExecutionRoleArn: role, selectors: [{ namespace: "a" }] }) as any;
    assert.deepEqual(made.fargateProfile.subnets, ["subnet-priva"]);
  });

  it("DeleteFargateProfile answers DELETING; one at a time per cluster; a missing one has EKS's text", () => {
    const input = { clusterName: "terrax", podExecutionRoleArn: role, selectors: [{ namespace: "a" }] };
    call("CreateFargateProfile", { ...input, fargateProfileName: "a" });
    call("CreateFargateProfile", { ...input, fargateProfileName: "b" });
    assert.equal(call("DeleteFargateProfile", { clusterName: "terrax", fargateProfileName: "a" }).fargateProfile.status, "DELETING");
    assert.equal(refusal("DeleteFargateProfile", { clusterName: "terrax", fargateProfileName: "b" }).code, "ResourceInUseException");
    assert.equal(call("DeleteFargateProfile", { clusterName: "moor", fargateProfileName: "fp-default" }).fargateProfile.status, "DELETING");
    const missing = refusal("DescribeFargateProfile", { clusterName: "terrax", fargateProfileName: "zz" });
    assert.deepEqual([missing.code, missing.message], ["ResourceNotFoundException", "No Fargate Profile found with name: zz."]);
  });
});

describe("EKS managed node groups", () => {
  beforeEach(() => createCluster("terrax"));
  const create = (scalingConfig?: object) =>
    call("CreateNodegroup", { clusterName: "terrax", nodegroupName: "node-group", subnets: [subnets[1]], nodeRole: role, instanceTypes: ["t2.medium"], ...(scalingConfig ? { scalingConfig } : {}) });

  it("CreateNodegroup sizes the group by desiredSize in its first subnet's zone", () => {
    const { nodegroup } = create({ minSize: 1, maxSize: 3, desiredSize: 1 });
    assert.deepEqual([nodegroup.status, nodegroup.scalingConfig, nodegroup.instanceTypes, nodegroup.clusterName], ["ACTIVE", { minSize: 1, maxSize: 3, desiredSize: 1 }, ["t2.medium"], "terrax"]);
    const stored = store.get({ kind: "NodeGroup", name: "terrax.node-group" })!;
    assert.deepEqual([stored.spec.zone, stored.spec.nodes], ["eu-west-1b", 1]);
    assert.deepEqual(call("ListNodegroups", { clusterName: "terrax" }), { nodegroups: ["node-group"] });
    assert.equal(refusal("CreateNodegroup", { clusterName: "terrax", nodegroupName: "node-group", subnets: [subnets[0]], nodeRole: role }).code, "ResourceInUseException");
  });

  it("UpdateNodegroupConfig changes the size within the scaling bounds", () => {
    create({ minSize: 0, maxSize: 3, desiredSize: 1 });
    const { update } = call("UpdateNodegroupConfig", { clusterName: "terrax", nodegroupName: "node-group", scalingConfig: { desiredSize: 3 } });
    assert.deepEqual([update.status, update.type, update.params], ["Successful", "ConfigUpdate", [{ type: "DesiredSize", value: "3" }]]);
    assert.equal(store.get({ kind: "NodeGroup", name: "terrax.node-group" })!.spec.nodes, 3);
    assert.deepEqual(call("DescribeUpdate", { name: "terrax", nodegroupName: "node-group", updateId: update.id }), { update });
    assert.equal(refusal("DescribeUpdate", { name: "terrax", nodegroupName: "node-group", updateId: "other" }).message, "No update found for ID: other.");
    const tooMany = refusal("UpdateNodegroupConfig", { clusterName: "terrax", nodegroupName: "node-group", scalingConfig: { desiredSize: 4 } });
    assert.deepEqual([tooMany.code, tooMany.message], ["InvalidParameterException", 'Cannot update node group "node-group": desiredSize 4 must be between minSize 0 and maxSize 3']);
  });

  it("DeleteNodegroup answers DELETING and the group is gone", () => {
    create();
    assert.equal(call("DeleteNodegroup", { clusterName: "terrax", nodegroupName: "node-group" }).nodegroup.status, "DELETING");
    assert.equal(refusal("DescribeNodegroup", { clusterName: "terrax", nodegroupName: "node-group" }).code, "ResourceNotFoundException");
  });
});
