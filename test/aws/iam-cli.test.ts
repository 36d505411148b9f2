// IAM through the real aws CLI with only what `moor env` exports (AWS_ENDPOINT_URL): the
// guides' lines (create-policy from a file, create-role, attach-role-policy, get-role,
// list-attached-role-policies, deletes) and the errors the CLI prints for IAM's codes.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";

let moor: MoorUnderTest;
const files = mkdtempSync(join(tmpdir(), "moor-iam-"));
const policyFile = join(files, "policy.json");
const trustFile = join(files, "trust.json");
writeFileSync(policyFile, `${JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["elasticfilesystem:ClientMount"], Resource: "*" }] }, null, 2)}\n`);
writeFileSync(trustFile, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "eks-fargate-pods.amazonaws.com" }, Action: "sts:AssumeRole" }] }));

before(async () => {
  moor = await startMoor();
});
after(() => moor.dispose());

async function iam(...args: string[]): Promise<string> {
  const result = await aws(moor, ["iam", ...args]);
  assert.equal(result.code, 0, `aws iam ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

async function iamError(...args: string[]): Promise<string> {
  const result = await aws(moor, ["iam", ...args]);
  assert.equal(result.code, 255, `aws iam ${args.join(" ")} should fail: ${result.stdout}`);
  return result.stderr.trim();
}

describe("every service through AWS_ENDPOINT_URL", () => {
  it("the CLI reaches Moor for each service and gets an answer in that service's protocol: a result, or a named refusal", async () => {
    const commands = [
      ["sts", "get-caller-identity"],
      ["ec2", "describe-vpcs"],
      ["eks", "list-clusters"],
      ["ecs", "list-clusters"],
      // aws-cli v1 pins `rds` to https://rds.amazonaws.com in us-east-1 over every configured
      // endpoint (awscli/customizations/overridesslcommonname.py); any other region reaches Moor.
      ["rds", "describe-db-instances", "--region", "eu-west-1"],
      ["elbv2", "describe-load-balancers"],
      ["logs", "describe-log-groups"],
      ["ecr", "describe-repositories"],
      ["efs", "describe-file-systems"],
      ["iam", "list-roles"],
    ];
    for (const command of commands) {
      const result = await aws(moor, command);
      if (result.code === 0) continue;
      assert.equal(result.code, 255, `aws ${command.join(" ")}: ${result.stderr}`);
      // A refusal the CLI could parse names its code; an unparsed answer would print only a status.
      assert.match(result.stderr, /An error occurred \((InvalidAction|UnknownOperationException)\) when calling the \w+ operation: Cannot call \w+: Moor does not implement it/, `aws ${command.join(" ")}: ${result.stderr}`);
    }
  });
});

describe("IAM with the aws CLI", () => {
  const fargatePolicy = "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy";
  let policyArn = "";

  it("reaches Moor through AWS_ENDPOINT_URL alone", () => {
    assert.equal(moor.env.AWS_ENDPOINT_URL, moor.awsEndpoint);
  });

  it("create-policy from a file answers the policy's ARN, and a second one of the name is EntityAlreadyExists", async () => {
    policyArn = await iam("create-policy", "--policy-name", "EfsClientMount", "--policy-document", `file://${policyFile}`, "--query", "Policy.Arn", "--output", "text");
    assert.match(policyArn, /^arn:aws:iam::\d{12}:policy\/EfsClientMount$/);
    const stderr = await iamError("create-policy", "--policy-name", "EfsClientMount", "--policy-document", `file://${policyFile}`);
    assert.match(stderr, /An error occurred \(EntityAlreadyExists\) when calling the CreatePolicy operation: A policy called EfsClientMount already exists. Duplicate names are not allowed./);
  });

  it("create-role, then get-role shows the trust policy decoded, and the waiter returns at once", async () => {
    const arn = await iam("create-role", "--role-name", "AmazonEKSFargatePodExecutionRole", "--assume-role-policy-document", `file://${trustFile}`, "--query", "Role.Arn", "--output", "text");
    assert.match(arn, /:role\/AmazonEKSFargatePodExecutionRole$/);
    const service = await iam("get-role", "--role-name", "AmazonEKSFargatePodExecutionRole", "--query", "Role.AssumeRolePolicyDocument.Statement[0].Principal.Service", "--output", "text");
    assert.equal(service, "eks-fargate-pods.amazonaws.com");
    await iam("wait", "role-exists", "--role-name", "AmazonEKSFargatePodExecutionRole");
  });

  it("attach-role-policy with an AWS-managed and a customer policy, listed by list-attached-role-policies", async () => {
    await iam("attach-role-policy", "--role-name", "AmazonEKSFargatePodExecutionRole", "--policy-arn", fargatePolicy);
    await iam("attach-role-policy", "--role-name", "AmazonEKSFargatePodExecutionRole", "--policy-arn", policyArn);
    const names = await iam("list-attached-role-policies", "--role-name", "AmazonEKSFargatePodExecutionRole", "--query", "AttachedPolicies[].PolicyName", "--output", "text");
    assert.deepEqual(names.split(/\s+/), ["AmazonEKSFargatePodExecutionRolePolicy", "EfsClientMount"]);
  });

  it("delete-role while policies are attached is DeleteConflict; detach and delete then succeed", async () => {
    const stderr = await iamError("delete-role", "--role-name", "AmazonEKSFargatePodExecutionRole");
    assert.match(stderr, /\(DeleteConflict\) when calling the DeleteRole operation: Cannot delete entity, must detach all policies first./);
    await iam("detach-role-policy", "--role-name", "AmazonEKSFargatePodExecutionRole", "--policy-arn", fargatePolicy);
    await iam("detach-role-policy", "--role-name", "AmazonEKSFargatePodExecutionRole", "--policy-arn", policyArn);
    await iam("delete-role", "--role-name", "AmazonEKSFargatePodExecutionRole");
    await iam("delete-policy", "--policy-arn", policyArn);
    const missing = await iamError("get-role", "--role-name", "AmazonEKSFargatePodExecutionRole");
    assert.match(missing, /An error occurred \(NoSuchEntity\) when calling the GetRole operation: The role with name AmazonEKSFargatePodExecutionRole cannot be found./);
  });

  it("a role name IAM's pattern refuses is a ValidationError, and a trust policy that is not JSON MalformedPolicyDocument", async () => {
    const invalid = await iamError("create-role", "--role-name", "bad name", "--assume-role-policy-document", `file://${trustFile}`);
    assert.match(invalid, /\(ValidationError\) when calling the CreateRole operation: 1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\+/);
    const malformed = await iamError("create-role", "--role-name", "r", "--assume-role-policy-document", "{not json");
    assert.match(malformed, /\(MalformedPolicyDocument\) when calling the CreateRole operation: Syntax errors in policy./);
  });
});
