import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { codeOf, iamFixture } from "./_testing.js";

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "eks-fargate-pods.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const permissions = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "elasticfilesystem:ClientMount", Resource: "*" }] });
const fargatePolicy = "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy";

const service = () => iamFixture().iam;

describe("IAM roles", () => {
  it("CreateRole makes an AROA id and an ARN under the path, and GetRole sends the trust policy URL-encoded", () => {
    const iam = service();
    const { Role } = iam.CreateRole!({ RoleName: "pod-execution", AssumeRolePolicyDocument: trust, Path: "/eks/" });
    assert.equal(Role.RoleId, "AROA00000000000000001");
    assert.equal(Role.Arn, "arn:aws:iam::123456789012:role/eks/pod-execution");
    assert.equal(Role.MaxSessionDuration, 3600);
    const got = iam.GetRole!({ RoleName: "pod-execution" }).Role;
    assert.equal(got.AssumeRolePolicyDocument, encodeURIComponent(trust));
    assert.deepEqual(got.RoleLastUsed, {});
  });

  it("a second role of the same name in other case is EntityAlreadyExists", () => {
    const iam = service();
    iam.CreateRole!({ RoleName: "Same", AssumeRolePolicyDocument: trust });
    assert.equal(codeOf(() => iam.CreateRole!({ RoleName: "same", AssumeRolePolicyDocument: trust })), "EntityAlreadyExists");
  });

  it("a trust policy that is not JSON, or names no principal, is MalformedPolicyDocument", () => {
    const iam = service();
    assert.equal(codeOf(() => iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: "{not json" })), "MalformedPolicyDocument");
    assert.equal(codeOf(() => iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: permissions })), "MalformedPolicyDocument");
  });

  it("a missing role is NoSuchEntity with IAM's text", () => {
    const iam = service();
    assert.throws(() => iam.GetRole!({ RoleName: "ghost" }), { code: "NoSuchEntity", message: "The role with name ghost cannot be found." });
  });

  it("DeleteRole is DeleteConflict while a policy is attached or an inline policy remains, and succeeds after", () => {
    const iam = service();
    iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: trust });
    iam.AttachRolePolicy!({ RoleName: "r", PolicyArn: fargatePolicy });
    assert.equal(codeOf(() => iam.DeleteRole!({ RoleName: "r" })), "DeleteConflict");
    iam.DetachRolePolicy!({ RoleName: "r", PolicyArn: fargatePolicy });
    iam.PutRolePolicy!({ RoleName: "r", PolicyName: "inline", PolicyDocument: permissions });
    assert.equal(codeOf(() => iam.DeleteRole!({ RoleName: "r" })), "DeleteConflict");
    iam.DeleteRolePolicy!({ RoleName: "r", PolicyName: "inline" });
    iam.DeleteRole!({ RoleName: "r" });
    assert.equal(codeOf(() => iam.GetRole!({ RoleName: "r" })), "NoSuchEntity");
  });

  it("UpdateAssumeRolePolicy replaces the trust policy; TagRole and UntagRole change tags by key", () => {
    const iam = service();
    iam.CreateRole!({ RoleName: "r", AssumeRolePolicyDocument: trust, Tags: [{ Key: "a", Value: "1" }] });
    const other = trust.replace("eks-fargate-pods", "ecs-tasks");
    iam.UpdateAssumeRolePolicy!({ RoleName: "r", PolicyDocument: other });
    assert.equal(decodeURIComponent(iam.GetRole!({ RoleName: "r" }).Role.AssumeRolePolicyDocument), other);
    iam.TagRole!({ RoleName: "r", Tags: [{ Key: "a", Value: "2" }, { Key: "b", Value: "3" }] });
    iam.UntagRole!({ RoleName: "r", TagKeys: ["b"] });
    assert.deepEqual(iam.ListRoleTags!({ RoleName: "r" }).Tags, [{ Key: "a", Value: "2" }]);
  });

  it("ListRoles pages with MaxItems and Marker without repeating a role", () => {
    const iam = service();
    for (const name of ["c", "a", "b"]) iam.CreateRole!({ RoleName: name, AssumeRolePolicyDocument: trust });
    const first = iam.ListRoles!({ MaxItems: 2 });
    assert.deepEqual(first.Roles.map((role: any) => role.RoleName), ["a", "b"]);
    assert.equal(first.IsTruncated, true);
    const second = iam.ListRoles!({ MaxItems: 2, Marker: first.Marker });
    assert.deepEqual(second.Roles.map((role: any) => role.RoleName), ["c"]);
    assert.equal(second.IsTruncated, false);
  });
});
