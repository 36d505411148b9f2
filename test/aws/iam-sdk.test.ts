// IAM through @aws-sdk/client-iam, the strict client: XML member names (`member`, `Roles`,
// `AttachedPolicies`), ISO dates, the documented error names, and the endpoint taken from
// AWS_ENDPOINT_URL as `moor env` sets it.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, DeletePolicyCommand, DeleteRoleCommand, DetachRolePolicyCommand,
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListPoliciesCommand,
  ListRolePoliciesCommand, ListRolesCommand, ListRoleTagsCommand, PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { type MoorUnderTest, startMoor } from "../harness.js";

let moor: MoorUnderTest;
let client: IAMClient;
const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const permissions = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }] });
const executionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

before(async () => {
  moor = await startMoor();
  // The SDK finds Moor the way users' programs do: from the environment `moor env` prints (this
  // test file runs in its own process).
  process.env.AWS_ENDPOINT_URL = moor.env.AWS_ENDPOINT_URL;
  client = new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
});
after(async () => {
  client?.destroy();
  await moor?.dispose();
});

async function rejectsWith(call: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(call, (error: any) => {
    assert.equal(error.name, name);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe("IAM with @aws-sdk/client-iam", () => {
  it("creates a role with tags and reads it back whole: dates, URL-encoded trust policy, tags", async () => {
    const { Role } = await client.send(new CreateRoleCommand({ RoleName: "ecsTaskExecutionRole", AssumeRolePolicyDocument: trust, Tags: [{ Key: "team", Value: "storage" }] }));
    assert.match(Role?.RoleId ?? "", /^AROA[A-Z0-9]{17}$/);
    const got = (await client.send(new GetRoleCommand({ RoleName: "ecsTaskExecutionRole" }))).Role!;
    assert.equal(decodeURIComponent(got.AssumeRolePolicyDocument!), trust);
    assert.ok(got.CreateDate instanceof Date && !Number.isNaN(got.CreateDate.getTime()));
    assert.equal(got.MaxSessionDuration, 3600);
    assert.deepEqual((await client.send(new ListRoleTagsCommand({ RoleName: "ecsTaskExecutionRole" }))).Tags, [{ Key: "team", Value: "storage" }]);
    const { Roles } = await client.send(new ListRolesCommand({}));
    assert.deepEqual(Roles?.map((role) => role.RoleName), ["ecsTaskExecutionRole"]);
  });

  it("attaches the AWS-managed execution policy and a customer policy; the lists carry both", async () => {
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "logs-writer", PolicyDocument: permissions, Description: "writes logs" }));
    await client.send(new AttachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: executionPolicy }));
    await client.send(new AttachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: Policy!.Arn! }));
    const { AttachedPolicies } = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: "ecsTaskExecutionRole" }));
    assert.deepEqual(AttachedPolicies, [
      { PolicyName: "AmazonECSTaskExecutionRolePolicy", PolicyArn: executionPolicy },
      { PolicyName: "logs-writer", PolicyArn: Policy!.Arn },
    ]);
    const local = await client.send(new ListPoliciesCommand({ Scope: "Local" }));
    assert.deepEqual(local.Policies?.map((policy) => [policy.PolicyName, policy.AttachmentCount]), [["logs-writer", 1]]);
    assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: executionPolicy }))).Policy?.AttachmentCount, 1);
  });

  it("versions a customer policy and reads the default version's document", async () => {
    const arn = (await client.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${moor.env.MOOR_ACCOUNT_ID ?? "000000000000"}:policy/logs-writer` }))).Policy!.Arn!;
    const { PolicyVersion } = await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: permissions.replace("PutLogEvents", "*"), SetAsDefault: true }));
    assert.equal(PolicyVersion?.VersionId, "v2");
    const read = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
    assert.equal(decodeURIComponent(read.PolicyVersion!.Document!), permissions.replace("PutLogEvents", "*"));
    assert.equal(read.PolicyVersion?.IsDefaultVersion, true);
  });

  it("inline policies: put, get (URL-encoded), list", async () => {
    await client.send(new PutRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyName: "inline", PolicyDocument: permissions }));
    const got = await client.send(new GetRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyName: "inline" }));
    assert.equal(decodeURIComponent(got.PolicyDocument!), permissions);
    assert.deepEqual((await client.send(new ListRolePoliciesCommand({ RoleName: "ecsTaskExecutionRole" }))).PolicyNames, ["inline"]);
  });

  it("answers IAM's documented errors under the SDK's exception names", async () => {
    await rejectsWith(client.send(new GetRoleCommand({ RoleName: "ghost" })), "NoSuchEntityException", 404, /The role with name ghost cannot be found./);
    await rejectsWith(client.send(new CreateRoleCommand({ RoleName: "ecsTaskExecutionRole", AssumeRolePolicyDocument: trust })), "EntityAlreadyExistsException", 409);
    await rejectsWith(client.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: "{" })), "MalformedPolicyDocumentException", 400);
    await rejectsWith(client.send(new DeleteRoleCommand({ RoleName: "ecsTaskExecutionRole" })), "DeleteConflictException", 409);
    await rejectsWith(client.send(new AttachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" })), "NoSuchEntityException", 404);
    await rejectsWith(client.send(new GetRoleCommand({ RoleName: "x".repeat(65) })), "ValidationError", 400, /Member must have length less than or equal to 64/);
  });

  it("cleans up: detach, delete versions, delete policy and role", async () => {
    const { AttachedPolicies } = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: "ecsTaskExecutionRole" }));
    for (const policy of AttachedPolicies ?? []) await client.send(new DetachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: policy.PolicyArn }));
    await rejectsWith(client.send(new DeleteRoleCommand({ RoleName: "ecsTaskExecutionRole" })), "DeleteConflictException", 409, /must delete policies first/);
    const arn = AttachedPolicies!.find((policy) => policy.PolicyName === "logs-writer")!.PolicyArn!;
    await rejectsWith(client.send(new DeletePolicyCommand({ PolicyArn: arn })), "DeleteConflictException", 409, /more than one version/);
  });
});
