// The STS service: GetCallerIdentity, and the check of `aws eks get-token` tokens. The tokens
// below were made by the real aws CLI 1.45 (`aws eks get-token --cluster-name terrax-fargate`
// with key AKIDEXAMPLE / secret s3cr3t, region eu-west-1), against an http and an https STS
// endpoint, at 2026-12-02T06:00:02Z and 06:00:03Z; the clock is fixed near then.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore } from "../../store/mod.js";
import { createStsService, type StsService } from "./mod.js";

const overHttp =
  "k8s-aws-v1.aHR0cDovLzEyNy4wLjAuMTo0NTY2Lz9BY3Rpb249R2V0Q2FsbGVySWRlbnRpdHkmVmVyc2lvbj0yMDExLTA2LTE1JlgtQW16LUFsZ29yaXRobT1BV1M0LUhNQUMtU0hBMjU2JlgtQW16LUNyZWRlbnRpYWw9QUtJREVYQU1QTEUlMkYyMDI2MTIwMiUyRmV1LXdlc3QtMSUyRnN0cyUyRmF3czRfcmVxdWVzdCZYLUFtei1EYXRlPTIwMjYxMjAyVDA2MDAwMlomWC1BbXotRXhwaXJlcz02MCZYLUFtei1TaWduZWRIZWFkZXJzPWhvc3QlM0J4LWs4cy1hd3MtaWQmWC1BbXotU2lnbmF0dXJlPWU1MWY0N2RhNjE2ZDdiZjUyMWRmOTBhZmU2MzIzNTE2NTZiYTEzMzBjYzMyNjFlZWIwNDU0YjIzZTg2OTFiYzA";
const overHttps =
  "k8s-aws-v1.aHR0cHM6Ly9zdHMuZXhhbXBsZS50ZXN0Lz9BY3Rpb249R2V0Q2FsbGVySWRlbnRpdHkmVmVyc2lvbj0yMDExLTA2LTE1JlgtQW16LUFsZ29yaXRobT1BV1M0LUhNQUMtU0hBMjU2JlgtQW16LUNyZWRlbnRpYWw9QUtJREVYQU1QTEUlMkYyMDI2MTIwMiUyRmV1LXdlc3QtMSUyRnN0cyUyRmF3czRfcmVxdWVzdCZYLUFtei1EYXRlPTIwMjYxMjAyVDA2MDAwM1omWC1BbXotRXhwaXJlcz02MCZYLUFtei1TaWduZWRIZWFkZXJzPWhvc3QlM0J4LWs4cy1hd3MtaWQmWC1BbXotU2lnbmF0dXJlPTgyNzFkMjg0ZTUwZGFiOWE3M2E5ZTQ2ZjI3ODhlN2VmMzBlYjIzYWEyMGJmYzY0YjM0OWE0NzA2MmQ4NTBiODg";

function service(options: { now?: string; clusters?: string[]; secret?: string } = {}): StsService {
  return createStsService({
    accountId: "123456789012",
    secretOf: (key) => (key === "AKIDEXAMPLE" ? (options.secret ?? "s3cr3t") : undefined),
    clusterNames: () => options.clusters ?? ["moor", "terrax-fargate"],
    now: () => new Date(options.now ?? "2026-12-02T06:05:00Z"),
  });
}

function refusal(sts: StsService, token: string): MoorError {
  try {
    sts.verifyEksToken(token);
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail("expected the token to be refused");
}

/** The token with its URL changed by `edit`. */
function edited(token: string, edit: (url: string) => string): string {
  const url = Buffer.from(token.slice("k8s-aws-v1.".length), "base64url").toString();
  return `k8s-aws-v1.${Buffer.from(edit(url)).toString("base64url")}`;
}

describe("STS", () => {
  it("GetCallerIdentity answers the account as a string and the user moor", () => {
    const identity = service().operations.GetCallerIdentity({});
    assert.deepEqual(identity, { UserId: "AIDAMOOR1234567890120", Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/moor" });
  });

  it("verifyEksToken() accepts the CLI's tokens over http and https and names the cluster they were signed for", () => {
    for (const token of [overHttp, overHttps]) {
      const identity = service().verifyEksToken(token);
      assert.deepEqual([identity.clusterName, identity.accessKeyId, identity.Arn], ["terrax-fargate", "AKIDEXAMPLE", "arn:aws:iam::123456789012:user/moor"]);
    }
  });

  it("verifyEksToken() keeps a token good for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says", () => {
    assert.equal(service({ now: "2026-12-02T06:15:02Z" }).verifyEksToken(overHttp).clusterName, "terrax-fargate");
    assert.match(refusal(service({ now: "2026-12-02T06:15:03Z" }), overHttp).message, /^Cannot verify token: it expired at 2026-12-02T06:15:02.000Z$/);
  });

  it("verifyEksToken() refuses a token for a cluster Moor does not have, or signed with another secret", () => {
    assert.equal(refusal(service({ clusters: ["moor"] }), overHttp).message, "Cannot verify token: its signature matches no cluster Moor has");
    assert.equal(refusal(service({ secret: "other" }), overHttp).message, "Cannot verify token: its signature matches no cluster Moor has");
  });

  it("verifyEksToken() refuses an unknown key, another action, a changed parameter and what is no token", () => {
    const sts = service();
    assert.equal(refusal(sts, edited(overHttp, (url) => url.replace("AKIDEXAMPLE", "AKIDOTHER"))).message, 'Cannot verify token: access key "AKIDOTHER" is not one Moor issued');
    assert.equal(refusal(sts, edited(overHttp, (url) => url.replace("GetCallerIdentity", "AssumeRole"))).message, "Cannot verify token: it does not presign GetCallerIdentity");
    assert.match(refusal(sts, edited(overHttp, (url) => url.replace("Version=2011-06-15", "Version=2011-06-16"))).message, /signature matches no cluster/);
    assert.match(refusal(sts, edited(overHttp, (url) => url.replace("X-Amz-Expires=60", "X-Amz-Expires=9999"))).message, /X-Amz-Expires "9999" is not from 0 to 900/);
    assert.match(refusal(sts, edited(overHttp, (url) => url.replace("host%3Bx-k8s-aws-id", "host"))).message, /did not sign the x-k8s-aws-id header/);
    assert.match(refusal(sts, edited(overHttp, (url) => `${url}&Action=GetCallerIdentity`)).message, /query parameter "Action" is repeated/);
    assert.match(refusal(sts, "Bearer-nonsense").message, /does not start with "k8s-aws-v1."/);
    assert.match(refusal(sts, "k8s-aws-v1.!!!").message, /not base64url/);
    assert.equal(refusal(sts, "k8s-aws-v1.").category, "Forbidden");
  });

  it("issueRoleCredentials() gives ASIA keys whose GetCallerIdentity is the assumed role, until they expire", () => {
    let now = new Date("2026-12-02T06:00:00Z");
    const sts = createStsService({ accountId: "123456789012", secretOf: () => undefined, clusterNames: () => [], roleId: () => "AROAEXAMPLEROLEID01", now: () => now });
    const issued = sts.issueRoleCredentials({ roleArn: "arn:aws:iam::123456789012:role/app/task", sessionName: "abc", durationSeconds: 3600 });
    assert.match(issued.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(issued.Expiration.toISOString(), "2026-12-02T07:00:00.000Z");
    const identity = sts.operations.GetCallerIdentity({}, { principal: issued.AccessKeyId });
    assert.deepEqual(identity, { UserId: "AROAEXAMPLEROLEID01:abc", Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/task/abc" });
    assert.equal(sts.operations.GetCallerIdentity({}, { principal: "moor" }).Arn, "arn:aws:iam::123456789012:user/moor");
    now = new Date("2026-12-02T07:00:00Z");
    assert.throws(() => sts.operations.GetCallerIdentity({}, { principal: issued.AccessKeyId }), (error: MoorError) => error.code === "ExpiredToken");
    assert.throws(() => sts.issueRoleCredentials({ roleArn: "arn:aws:iam::123456789012:user/x", sessionName: "s" }), /is not a role ARN/);
  });

  it("with a store, issued sessions outlive the service (a restart of Moor) until they expire, and expired ones leave the store", () => {
    let now = new Date("2026-12-02T06:00:00Z");
    const store = createMemoryStore();
    const make = () => createStsService({ accountId: "123456789012", secretOf: () => undefined, clusterNames: () => [], roleId: () => "AROAEXAMPLEROLEID01", store, now: () => now });
    const issued = make().issueRoleCredentials({ roleArn: "arn:aws:iam::123456789012:role/app/task", sessionName: "abc", durationSeconds: 900 });
    const restarted = make();
    assert.equal(restarted.operations.GetCallerIdentity({}, { principal: issued.AccessKeyId }).Arn, "arn:aws:sts::123456789012:assumed-role/task/abc");
    assert.equal(store.list("StsSession").items.length, 1);
    now = new Date("2026-12-02T06:20:00Z");
    restarted.issueRoleCredentials({ roleArn: "arn:aws:iam::123456789012:role/app/task", sessionName: "def" });
    assert.deepEqual(store.list("StsSession").items.map((item) => item.spec?.identity?.Arn), ["arn:aws:sts::123456789012:assumed-role/task/def"], "the expired session was removed");
  });
});
