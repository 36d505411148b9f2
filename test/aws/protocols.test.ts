// The four protocols end to end with the JavaScript SDK v3 (strict about XML member names and
// epoch timestamps): one real operation each through fake service modules, the input the
// operation saw keyed by the model's member names, and the output as the SDK read it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { GetRoleCommand, IAMClient, ListRoleTagsCommand } from "@aws-sdk/client-iam";
import { MoorError } from "../../src/errors/mod.js";
import type { ServiceModule } from "../../src/frontends/aws/mod.js";
import { credentials, send, serveModules, signedFor } from "./_server.js";

const created = new Date("2025-01-01T00:00:00.000Z");
const seen: Record<string, unknown> = {};

const iam: ServiceModule = {
  name: "iam",
  operations: {
    GetRole: (input, context) => {
      seen.GetRole = { input, context };
      if (input.RoleName === "nope") throw new MoorError("NotFound", `The role with name ${input.RoleName} cannot be found.`, { code: "NoSuchEntity" });
      return { Role: { Path: "/", RoleName: input.RoleName, RoleId: "AROAEXAMPLEROLEID0001", Arn: `arn:aws:iam::${context.accountId}:role/${input.RoleName}`, CreateDate: created, AssumeRolePolicyDocument: "%7B%7D", MaxSessionDuration: 3600, Tags: [{ Key: "a", Value: "<&>" }] } };
    },
    ListRoleTags: (input) => ({ Tags: [{ Key: "k", Value: input.RoleName }], IsTruncated: false }),
  },
};

const ec2: ServiceModule = {
  name: "ec2",
  operations: {
    DescribeVpcs: (input) => {
      seen.DescribeVpcs = input;
      return { Vpcs: [{ VpcId: "vpc-1", CidrBlock: "192.168.0.0/16", State: "available", IsDefault: false, Tags: [{ Key: "Name", Value: "moor" }] }] };
    },
  },
};

const eks: ServiceModule = {
  name: "eks",
  operations: {
    DescribeCluster: (input) => {
      if (input.name !== "moor") throw new MoorError("NotFound", `No cluster found for name: ${input.name}.`, { code: "ResourceNotFoundException", details: { clusterName: input.name } });
      return { cluster: { name: "moor", arn: "arn:aws:eks:eu-west-1:123456789012:cluster/moor", createdAt: created, status: "ACTIVE", resourcesVpcConfig: { vpcId: "vpc-1", subnetIds: ["subnet-1"] } } };
    },
  },
};

const ecs: ServiceModule = {
  name: "ecs",
  operations: {
    ListClusters: (input) => {
      seen.ListClusters = input;
      return { clusterArns: ["arn:aws:ecs:eu-west-1:123456789012:cluster/default"] };
    },
  },
};

let endpoint = "";
serveModules([iam, ec2, eks, ecs], (served) => {
  endpoint = served.endpoint;
});
const client = { region: "us-west-2", credentials, maxAttempts: 1 };

describe("the query protocol (IAM through the SDK)", () => {
  it("GetRole reaches the operation with the model's member names and the SigV4 region, and the SDK reads the Role back", async () => {
    const iamClient = new IAMClient({ ...client, endpoint });
    const { Role } = await iamClient.send(new GetRoleCommand({ RoleName: "r1" }));
    assert.equal(Role?.RoleName, "r1");
    assert.equal(Role?.Arn, "arn:aws:iam::123456789012:role/r1");
    assert.equal(Role?.CreateDate?.getTime(), created.getTime());
    assert.equal(Role?.MaxSessionDuration, 3600);
    assert.deepEqual(Role?.Tags, [{ Key: "a", Value: "<&>" }]);
    const { input, context } = seen.GetRole as { input: unknown; context: Record<string, unknown> };
    assert.deepEqual(input, { RoleName: "r1" });
    assert.equal(context.region, "us-west-2");
    assert.equal(context.principal, "AKIDTEST");
    iamClient.destroy();
  });

  it("a thrown NoSuchEntity is a 404 ErrorResponse the SDK names NoSuchEntityException", async () => {
    const iamClient = new IAMClient({ ...client, endpoint });
    await assert.rejects(iamClient.send(new GetRoleCommand({ RoleName: "nope" })), (error: any) => {
      assert.equal(error.name, "NoSuchEntityException");
      assert.equal(error.$metadata.httpStatusCode, 404);
      assert.equal(error.message, "The role with name nope cannot be found.");
      return true;
    });
    iamClient.destroy();
  });

  it("a role name longer than the model allows is a ValidationError in AWS's text", async () => {
    const { status, text } = await send(endpoint, { headers: { ...signedFor("iam"), "Content-Type": "application/x-www-form-urlencoded" }, body: `Action=GetRole&Version=2010-05-08&RoleName=${"a".repeat(65)}` });
    assert.equal(status, 400);
    assert.match(text, /<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>ValidationError<\/Code>/);
    assert.match(text, /1 validation error detected: Value '(a){65}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64/);
  });
});

describe("the ec2 protocol (EC2 through the SDK)", () => {
  it("DescribeVpcs reads flattened VpcId.N and Filter.N into the model's lists, and the SDK reads vpcSet items", async () => {
    const ec2Client = new EC2Client({ ...client, endpoint });
    const { Vpcs } = await ec2Client.send(new DescribeVpcsCommand({ VpcIds: ["vpc-1", "vpc-2"], Filters: [{ Name: "tag:Name", Values: ["moor"] }] }));
    assert.deepEqual(seen.DescribeVpcs, { VpcIds: ["vpc-1", "vpc-2"], Filters: [{ Name: "tag:Name", Values: ["moor"] }] });
    assert.equal(Vpcs?.length, 1);
    assert.equal(Vpcs?.[0]?.VpcId, "vpc-1");
    assert.equal(Vpcs?.[0]?.IsDefault, false);
    assert.deepEqual(Vpcs?.[0]?.Tags, [{ Key: "Name", Value: "moor" }]);
    ec2Client.destroy();
  });
});

describe("the rest-json protocol (EKS through the SDK)", () => {
  it("DescribeCluster binds the path label to `name` and the SDK reads an epoch createdAt", async () => {
    const eksClient = new EKSClient({ ...client, endpoint });
    const { cluster } = await eksClient.send(new DescribeClusterCommand({ name: "moor" }));
    assert.equal(cluster?.status, "ACTIVE");
    assert.equal(cluster?.createdAt?.getTime(), created.getTime());
    assert.deepEqual(cluster?.resourcesVpcConfig?.subnetIds, ["subnet-1"]);
    eksClient.destroy();
  });

  it("ResourceNotFoundException is a 404 with x-amzn-ErrorType and the details in the body", async () => {
    const { status, headers, text } = await send(endpoint, { method: "GET", path: "/clusters/nope", headers: signedFor("eks") });
    assert.equal(status, 404);
    assert.equal(headers.get("x-amzn-errortype"), "ResourceNotFoundException");
    assert.deepEqual(JSON.parse(text), { clusterName: "nope", message: "No cluster found for name: nope." });
  });
});

describe("the json protocol (ECS by hand: no ECS SDK client is installed)", () => {
  it("ListClusters by X-Amz-Target answers JSON, and an unknown target is UnknownOperationException", async () => {
    const headers = { ...signedFor("ecs"), "Content-Type": "application/x-amz-json-1.1" };
    const ok = await send(endpoint, { headers: { ...headers, "X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters" }, body: '{"maxResults":5}' });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.text), { clusterArns: ["arn:aws:ecs:eu-west-1:123456789012:cluster/default"] });
    assert.deepEqual(seen.ListClusters, { maxResults: 5 });
    const unknown = await send(endpoint, { headers: { ...headers, "X-Amz-Target": "AmazonEC2ContainerServiceV20141113.Nope" }, body: "{}" });
    assert.equal(unknown.status, 400);
    assert.equal(JSON.parse(unknown.text).__type, "UnknownOperationException");
  });
});
