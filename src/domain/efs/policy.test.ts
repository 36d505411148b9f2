import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isMoorError } from "../../errors/mod.js";
import { evaluatePolicy, locksOutCaller, parsePolicy, type PolicyRequest } from "./mod.js";

const action = "Cannot put file system policy";
const apArn = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0";
const mount: PolicyRequest = { action: "ClientMount", secureTransport: false, accessedViaMountTarget: true };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

describe("evaluatePolicy()", () => {
  it("allows everything under the default policy (no explicit policy)", () => {
    for (const requested of ["ClientMount", "ClientWrite", "ClientRootAccess"] as const) {
      assert.equal(evaluatePolicy(undefined, { ...mount, action: requested }), "allow");
    }
  });

  it("denies what no statement allows, once a policy exists", () => {
    const text = policy({ Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] });
    assert.equal(evaluatePolicy(text, mount), "allow");
    assert.equal(evaluatePolicy(text, { ...mount, action: "ClientWrite" }), "allow");
    assert.equal(evaluatePolicy(text, { ...mount, action: "ClientRootAccess" }), "deny");
  });

  it("lets an explicit Deny win over an Allow", () => {
    const text = policy(
      { Effect: "Allow", Principal: "*", Action: "elasticfilesystem:*" },
      { Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
    assert.equal(evaluatePolicy(text, mount), "deny");
    assert.equal(evaluatePolicy(text, { ...mount, secureTransport: true }), "allow");
  });

  it("matches the access point ARN condition, and negated conditions hold when the key is absent", () => {
    const text = policy({
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "elasticfilesystem:ClientMount",
      Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": apArn } },
    });
    assert.equal(evaluatePolicy(text, { ...mount, accessPointArn: apArn }), "allow");
    assert.equal(evaluatePolicy(text, mount), "deny");
    const notThis = policy({ Effect: "Deny", Principal: "*", Action: "*", Condition: { StringNotEquals: { "elasticfilesystem:AccessPointArn": apArn } } });
    assert.equal(evaluatePolicy(notThis, mount), "deny");
  });

  it("grants an account principal to its identities and never to anonymous clients", () => {
    const text = policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "elasticfilesystem:ClientMount" });
    assert.equal(evaluatePolicy(text, { ...mount, principalArn: "arn:aws:iam::123456789012:role/app" }), "allow");
    assert.equal(evaluatePolicy(text, { ...mount, principalArn: "arn:aws:iam::999999999999:role/app" }), "deny");
    assert.equal(evaluatePolicy(text, mount), "deny");
  });

  it("checks Resource only when the file system ARN is given", () => {
    const fsArn = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0";
    const text = policy({ Effect: "Allow", Principal: "*", Action: "elasticfilesystem:ClientMount", Resource: "arn:aws:elasticfilesystem:*:*:file-system/fs-9*" });
    assert.equal(evaluatePolicy(text, { ...mount, fileSystemArn: fsArn }), "deny");
    assert.equal(evaluatePolicy(text, mount), "allow");
  });
});

describe("parsePolicy()", () => {
  it("refuses malformed policies with InvalidPolicyException", () => {
    const bad = [
      "not json",
      "[]",
      JSON.stringify({ Version: "2012-10-17" }),
      JSON.stringify({ Version: "2020-01-01", Statement: [] }),
      policy({ Effect: "Maybe", Principal: "*", Action: "*" }),
      policy({ Effect: "Allow", Action: "*" }),
      policy({ Effect: "Allow", Principal: "*" }),
      policy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }),
      policy({ Effect: "Allow", Principal: "*", Action: "*", Condition: { NumericEquals: { x: "1" } } }),
      policy({ Effect: "Allow", Principal: { AWS: "bob" }, Action: "*" }),
    ];
    for (const text of bad) {
      assert.throws(
        () => parsePolicy(text, action),
        (error: Error) => isMoorError(error) && error.code === "InvalidPolicyException",
        text,
      );
    }
  });

  it("locksOutCaller() spots a policy that denies the account further PutFileSystemPolicy calls", () => {
    const fsArn = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0";
    const caller = { accountId: "123456789012", fileSystemArn: fsArn };
    assert.equal(locksOutCaller(parsePolicy(policy({ Effect: "Deny", Principal: "*", Action: "*" }), action), caller), true);
    assert.equal(locksOutCaller(parsePolicy(policy({ Effect: "Deny", Principal: "*", Action: "elasticfilesystem:ClientRootAccess" }), action), caller), false);
    const httpOnly = policy({ Effect: "Deny", Principal: "*", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    assert.equal(locksOutCaller(parsePolicy(httpOnly, action), caller), false);
  });
});
