import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryStore } from "../../store/mod.js";
import { createIamService } from "./mod.js";

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const document = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

function service() {
  let id = 0;
  const iam = createIamService({ store: createMemoryStore(), accountId: "123456789012", now: () => new Date("2025-01-01T00:00:00Z"), randomId: (count) => String(++id).padStart(count, "0") });
  return iam.operations as Record<string, (input: unknown) => any>;
}

describe("IAM managed policies", () => {
  it("CreatePolicy makes v1 the default, and GetPolicyVersion sends the document URL-encoded", () => {
    const iam = service();
    const { Policy } = iam.CreatePolicy!({ PolicyName: "AWSLoadBalancerControllerIAMPolicy", PolicyDocument: `${document("elasticloadbalancing:*")}\n` });
    assert.equal(Policy.Arn, "arn:aws:iam::123456789012:policy/AWSLoadBalancerControllerIAMPolicy");
    assert.equal(Policy.PolicyId, "ANPA00000000000000001");
    assert.equal(Policy.DefaultVersionId, "v1");
    assert.equal(Policy.AttachmentCount, 0);
    const { PolicyVersion } = iam.GetPolicyVersion!({ PolicyArn: Policy.Arn, VersionId: "v1" });
    assert.equal(decodeURIComponent(PolicyVersion.Document), `${document("elasticloadbalancing:*")}\n`);
    assert.equal(PolicyVersion.IsDefaultVersion, true);
  });

  it("a duplicate policy name is EntityAlreadyExists with IAM's text", () => {
    const iam = service();
    iam.CreatePolicy!({ PolicyName: "p", PolicyDocument: document("s3:*") });
    assert.throws(() => iam.CreatePolicy!({ PolicyName: "p", PolicyDocument: document("s3:*") }), {
      code: "EntityAlreadyExists",
      message: "A policy called p already exists. Duplicate names are not allowed.",
    });
  });

  it("the AWS-managed policies the guides attach exist and can be attached, and count their attachments", () => {
    const iam = service();
    iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: trust });
    for (const arn of [
      "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy",
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      "arn:aws:iam::aws:policy/AmazonElasticFileSystemClientReadWriteAccess",
    ]) {
      iam.AttachRolePolicy!({ RoleName: "r", PolicyArn: arn });
      assert.equal(iam.GetPolicy!({ PolicyArn: arn }).Policy.AttachmentCount, 1);
    }
    assert.equal(iam.ListAttachedRolePolicies!({ RoleName: "r" }).AttachedPolicies.length, 7);
    assert.deepEqual(iam.ListAttachedRolePolicies!({ RoleName: "r", PathPrefix: "/service-role/" }).AttachedPolicies, [
      { PolicyName: "AmazonECSTaskExecutionRolePolicy", PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
    ]);
  });

  it("attaching a policy that does not exist is NoSuchEntity; the eleventh attachment is LimitExceeded", () => {
    const iam = service();
    iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: trust });
    assert.throws(() => iam.AttachRolePolicy!({ RoleName: "r", PolicyArn: "arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy" }), {
      code: "NoSuchEntity",
      message: "Policy arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy does not exist or is not attachable.",
    });
    for (let index = 0; index < 10; index++) {
      const { Policy } = iam.CreatePolicy!({ PolicyName: `p${index}`, PolicyDocument: document("s3:*") });
      iam.AttachRolePolicy!({ RoleName: "r", PolicyArn: Policy.Arn });
    }
    const { Policy } = iam.CreatePolicy!({ PolicyName: "p10", PolicyDocument: document("s3:*") });
    assert.throws(() => iam.AttachRolePolicy!({ RoleName: "r", PolicyArn: Policy.Arn }), { code: "LimitExceeded" });
  });

  it("DeletePolicy is DeleteConflict while attached or while it has other versions", () => {
    const iam = service();
    iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: trust });
    const { Policy } = iam.CreatePolicy!({ PolicyName: "p", PolicyDocument: document("s3:*") });
    iam.AttachRolePolicy!({ RoleName: "r", PolicyArn: Policy.Arn });
    assert.throws(() => iam.DeletePolicy!({ PolicyArn: Policy.Arn }), { code: "DeleteConflict", message: "Cannot delete a policy attached to entities." });
    iam.DetachRolePolicy!({ RoleName: "r", PolicyArn: Policy.Arn });
    iam.CreatePolicyVersion!({ PolicyArn: Policy.Arn, PolicyDocument: document("ec2:*"), SetAsDefault: true });
    assert.throws(() => iam.DeletePolicy!({ PolicyArn: Policy.Arn }), { code: "DeleteConflict" });
    iam.DeletePolicyVersion!({ PolicyArn: Policy.Arn, VersionId: "v1" });
    iam.DeletePolicy!({ PolicyArn: Policy.Arn });
    assert.throws(() => iam.GetPolicy!({ PolicyArn: Policy.Arn }), { code: "NoSuchEntity" });
  });

  it("CreatePolicyVersion numbers versions v2, v3 and stops at five", () => {
    const iam = service();
    const { Policy } = iam.CreatePolicy!({ PolicyName: "p", PolicyDocument: document("s3:*") });
    for (let version = 2; version <= 5; version++) {
      assert.equal(iam.CreatePolicyVersion!({ PolicyArn: Policy.Arn, PolicyDocument: document("s3:*") }).PolicyVersion.VersionId, `v${version}`);
    }
    assert.throws(() => iam.CreatePolicyVersion!({ PolicyArn: Policy.Arn, PolicyDocument: document("s3:*") }), { code: "LimitExceeded" });
    assert.equal(iam.GetPolicy!({ PolicyArn: Policy.Arn }).Policy.DefaultVersionId, "v1");
  });

  it("a permissions policy that names a principal is MalformedPolicyDocument; a bad ARN is InvalidInput", () => {
    const iam = service();
    assert.throws(() => iam.CreatePolicy!({ PolicyName: "p", PolicyDocument: trust }), { code: "MalformedPolicyDocument" });
    assert.throws(() => iam.GetPolicy!({ PolicyArn: "arn:aws:s3:::bucket-with-long-name" }), { code: "InvalidInput" });
  });

  it("ListPolicies with Scope Local lists only customer policies, OnlyAttached only attached ones", () => {
    const iam = service();
    iam.CreatePolicy!({ PolicyName: "mine", PolicyDocument: document("s3:*") });
    assert.deepEqual(iam.ListPolicies!({ Scope: "Local" }).Policies.map((policy: any) => policy.PolicyName), ["mine"]);
    assert.ok(iam.ListPolicies!({ Scope: "AWS" }).Policies.some((policy: any) => policy.PolicyName === "AmazonEKSClusterPolicy"));
    assert.deepEqual(iam.ListPolicies!({ OnlyAttached: true }).Policies, []);
  });
});
