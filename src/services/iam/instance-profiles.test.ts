// IAM instance profiles over the in-memory store: one role a profile, the conflicts IAM raises
// on deleting a profile with a role or a role in a profile, and the role an instance's profile
// (named by ARN or name) gives its `iam` mounts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instanceProfileRoleArn } from "./mod.js";
import { codeOf, iamFixture } from "./_testing.js";

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });

const service = iamFixture;

describe("IAM instance profiles", () => {
  it("CreateInstanceProfile makes an AIPA id and an ARN; a role added shows in Get, List and ListInstanceProfilesForRole", () => {
    const { iam } = service();
    iam.CreateRole!({ RoleName: "web", AssumeRolePolicyDocument: trust });
    const { InstanceProfile } = iam.CreateInstanceProfile!({ InstanceProfileName: "web", Path: "/app/" });
    assert.equal(InstanceProfile.InstanceProfileId, "AIPA00000000000000002");
    assert.equal(InstanceProfile.Arn, "arn:aws:iam::123456789012:instance-profile/app/web");
    assert.deepEqual(InstanceProfile.Roles, []);
    iam.AddRoleToInstanceProfile!({ InstanceProfileName: "web", RoleName: "web" });
    assert.deepEqual(iam.GetInstanceProfile!({ InstanceProfileName: "WEB" }).InstanceProfile.Roles.map((role: any) => role.Arn), ["arn:aws:iam::123456789012:role/web"]);
    assert.equal(iam.ListInstanceProfiles!({ PathPrefix: "/app/" }).InstanceProfiles.length, 1);
    assert.equal(iam.ListInstanceProfilesForRole!({ RoleName: "web" }).InstanceProfiles[0].InstanceProfileName, "web");
  });

  it("refuses as IAM does: a second profile of the name, a second role, deleting a profile with a role or a role in a profile, unknown names", () => {
    const { iam } = service();
    iam.CreateRole!({ RoleName: "a", AssumeRolePolicyDocument: trust });
    iam.CreateRole!({ RoleName: "b", AssumeRolePolicyDocument: trust });
    iam.CreateInstanceProfile!({ InstanceProfileName: "p" });
    assert.equal(codeOf(() => iam.CreateInstanceProfile!({ InstanceProfileName: "P" })), "EntityAlreadyExists");
    iam.AddRoleToInstanceProfile!({ InstanceProfileName: "p", RoleName: "a" });
    assert.equal(codeOf(() => iam.AddRoleToInstanceProfile!({ InstanceProfileName: "p", RoleName: "b" })), "LimitExceeded");
    assert.equal(codeOf(() => iam.DeleteInstanceProfile!({ InstanceProfileName: "p" })), "DeleteConflict");
    assert.equal(codeOf(() => iam.DeleteRole!({ RoleName: "a" })), "DeleteConflict");
    assert.equal(codeOf(() => iam.RemoveRoleFromInstanceProfile!({ InstanceProfileName: "p", RoleName: "b" })), "NoSuchEntity");
    assert.equal(codeOf(() => iam.GetInstanceProfile!({ InstanceProfileName: "none" })), "NoSuchEntity");
    iam.RemoveRoleFromInstanceProfile!({ InstanceProfileName: "p", RoleName: "a" });
    iam.DeleteInstanceProfile!({ InstanceProfileName: "p" });
    iam.DeleteRole!({ RoleName: "a" });
  });

  it("instanceProfileRoleArn() gives the role of a profile named by ARN or name, and nothing for an empty or unknown one", () => {
    const { iam, store } = service();
    iam.CreateRole!({ RoleName: "web", AssumeRolePolicyDocument: trust });
    const arn = iam.CreateInstanceProfile!({ InstanceProfileName: "web" }).InstanceProfile.Arn;
    assert.equal(instanceProfileRoleArn(store, arn), undefined);
    iam.AddRoleToInstanceProfile!({ InstanceProfileName: "web", RoleName: "web" });
    assert.equal(instanceProfileRoleArn(store, arn), "arn:aws:iam::123456789012:role/web");
    assert.equal(instanceProfileRoleArn(store, "web"), "arn:aws:iam::123456789012:role/web");
    assert.equal(instanceProfileRoleArn(store, "arn:aws:iam::999999999999:instance-profile/web"), undefined);
    assert.equal(instanceProfileRoleArn(store, "other"), undefined);
  });
});
