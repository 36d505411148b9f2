// Issue 12: the EKS and STS operations through the JavaScript SDK v3 clients, which are strict
// about member names and read timestamps only as epoch numbers; success and documented errors.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateClusterCommand,
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteFargateProfileCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  InvalidParameterException,
  UpdateNodegroupConfigCommand,
} from "@aws-sdk/client-eks";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { waitFor } from "../kubectl.js";

let moor: MoorUnderTest;
let eks: EKSClient;
let sts: STSClient;
before(async () => {
  moor = await startMoor();
  const options = { endpoint: moor.env.AWS_ENDPOINT_URL!, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" }, maxAttempts: 1 };
  eks = new EKSClient(options);
  sts = new STSClient(options);
});
after(async () => {
  eks?.destroy();
  sts?.destroy();
  await moor?.dispose();
});

const subnets = ["subnet-042a0000000000001", "subnet-042a0000000000002"];
const role = "arn:aws:iam::000000000000:role/r";

async function refusal(promise: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  return assert.fail("expected a refusal");
}

describe("STS through the SDK", () => {
  it("GetCallerIdentity reads Account, Arn and UserId", async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual([identity.Account, identity.Arn, identity.UserId], ["000000000000", "arn:aws:iam::000000000000:user/moor", "AIDAMOOR0000000000000"]);
  });
});

describe("EKS through the SDK", () => {
  it("the default cluster reads whole: Date createdAt, endpoint, CA, VPC", async () => {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: "moor" }));
    assert.ok(cluster?.createdAt instanceof Date && !Number.isNaN(cluster.createdAt.getTime()));
    assert.match(cluster!.endpoint!, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(Buffer.from(cluster!.certificateAuthority!.data!, "base64").toString(), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(cluster!.resourcesVpcConfig!.vpcId, "vpc-042a0000000000001");
    assert.equal(cluster!.status, "ACTIVE");
    const { fargateProfileNames } = await eks.send(new ListFargateProfilesCommand({ clusterName: "moor" }));
    assert.deepEqual(fargateProfileNames, ["fp-default"]);
  });

  it("a cluster, its profile and node group are made, scaled, listed and deleted", async () => {
    await eks.send(new CreateClusterCommand({ name: "sdk", roleArn: role, resourcesVpcConfig: { subnetIds: subnets } }));
    assert.deepEqual((await eks.send(new ListClustersCommand({}))).clusters, ["moor", "sdk"]);
    const { fargateProfile } = await eks.send(new CreateFargateProfileCommand({ clusterName: "sdk", fargateProfileName: "fp-demo-service", podExecutionRoleArn: role, selectors: [{ namespace: "tb-demo", labels: { app: "service" } }] }));
    assert.ok(fargateProfile?.createdAt instanceof Date);
    const described = await eks.send(new DescribeFargateProfileCommand({ clusterName: "sdk", fargateProfileName: "fp-demo-service" }));
    assert.deepEqual(described.fargateProfile?.selectors, [{ namespace: "tb-demo", labels: { app: "service" } }]);
    const { nodegroup } = await eks.send(new CreateNodegroupCommand({ clusterName: "sdk", nodegroupName: "workers", subnets: [subnets[0]!], nodeRole: role, scalingConfig: { minSize: 0, maxSize: 3, desiredSize: 1 } }));
    assert.deepEqual(nodegroup?.scalingConfig, { minSize: 0, maxSize: 3, desiredSize: 1 });
    const { update } = await eks.send(new UpdateNodegroupConfigCommand({ clusterName: "sdk", nodegroupName: "workers", scalingConfig: { desiredSize: 2 } }));
    assert.equal(update?.status, "Successful");
    assert.equal((await eks.send(new DescribeNodegroupCommand({ clusterName: "sdk", nodegroupName: "workers" }))).nodegroup?.scalingConfig?.desiredSize, 2);
    assert.deepEqual((await eks.send(new ListNodegroupsCommand({ clusterName: "sdk" }))).nodegroups, ["workers"]);

    const inUse = await refusal(eks.send(new DeleteClusterCommand({ name: "sdk" })));
    assert.ok(inUse instanceof ResourceInUseException, inUse.name);
    assert.equal(inUse.$metadata?.httpStatusCode, 409);
    assert.equal((await eks.send(new DeleteNodegroupCommand({ clusterName: "sdk", nodegroupName: "workers" }))).nodegroup?.status, "DELETING");
    assert.equal((await eks.send(new DeleteFargateProfileCommand({ clusterName: "sdk", fargateProfileName: "fp-demo-service" }))).fargateProfile?.status, "DELETING");
    await waitFor("the profile to go", async () => (await eks.send(new ListFargateProfilesCommand({ clusterName: "sdk" }))).fargateProfileNames?.length === 0, 30_000);
    assert.equal((await eks.send(new DeleteClusterCommand({ name: "sdk" }))).cluster?.status, "DELETING");
  });

  it("documented errors arrive as the SDK's typed exceptions", async () => {
    const missing = await refusal(eks.send(new DescribeClusterCommand({ name: "nope" })));
    assert.ok(missing instanceof ResourceNotFoundException, missing.name);
    assert.equal(missing.message, "No cluster found for name: nope.");
    assert.equal(missing.$metadata?.httpStatusCode, 404);
    const reserved = await refusal(eks.send(new CreateFargateProfileCommand({ clusterName: "moor", fargateProfileName: "eks-x", podExecutionRoleArn: role, selectors: [{ namespace: "x" }] })));
    assert.ok(reserved instanceof InvalidParameterException, reserved.name);
    const profile = await refusal(eks.send(new DescribeFargateProfileCommand({ clusterName: "moor", fargateProfileName: "absent" })));
    assert.ok(profile instanceof ResourceNotFoundException);
    assert.equal(profile.message, "No Fargate Profile found with name: absent.");
  });
});
