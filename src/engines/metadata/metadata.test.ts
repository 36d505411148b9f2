// The metadata service's answers, without a network: IMDSv2 tokens bound to the asking
// address and expiring with their TTL, IMDSv1 only where allowed, the metadata tree's paths.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InstanceCredentials } from "./_instance-credentials.js";
import { type InstanceMetadata, MetadataService } from "./mod.js";

const instance: InstanceMetadata = {
  instanceId: "i-0123456789abcdef0",
  privateIp: "10.42.0.9",
  availabilityZone: "us-east-1a",
  region: "us-east-1",
  instanceType: "t3.micro",
  imageId: "ami-12345678",
  accountId: "123456789012",
  hostname: "ip-10-42-0-9.ec2.internal",
  securityGroups: ["default"],
  userData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64"),
  httpTokens: "required",
  launchTime: "2026-01-01T00:00:00.000Z",
};

function service(httpTokens: "optional" | "required" = "required"): MetadataService {
  const metadata = new MetadataService();
  metadata.publish([{ ...instance, httpTokens }]);
  return metadata;
}

const token = (metadata: MetadataService, ttl = "60", at = 0) => metadata.answer("PUT", "/latest/api/token", { "x-aws-ec2-metadata-token-ttl-seconds": ttl }, "10.42.0.9", at).body;

describe("MetadataService", () => {
  it("answers with a token from PUT /latest/api/token, and refuses requests without one when tokens are required", () => {
    const metadata = service();
    const session = token(metadata);
    assert.equal(metadata.answer("GET", "/latest/meta-data/instance-id", { "x-aws-ec2-metadata-token": session }, "10.42.0.9", 1000).body, "i-0123456789abcdef0");
    assert.equal(metadata.answer("GET", "/latest/meta-data/instance-id", {}, "10.42.0.9", 1000).status, 401);
    assert.equal(service("optional").answer("GET", "/latest/meta-data/local-ipv4", {}, "10.42.0.9", 0).body, "10.42.0.9");
  });

  it("a token expires with its TTL, works only from the address it was issued to, and needs a TTL of 1 to 21600", () => {
    const metadata = service();
    const session = token(metadata, "1");
    assert.equal(metadata.answer("GET", "/latest/meta-data/instance-id", { "x-aws-ec2-metadata-token": session }, "10.42.0.9", 1000).status, 401);
    assert.equal(metadata.answer("GET", "/latest/meta-data/instance-id", { "x-aws-ec2-metadata-token": token(metadata) }, "10.42.0.10", 0).status, 404);
    assert.equal(metadata.answer("PUT", "/latest/api/token", { "x-aws-ec2-metadata-token-ttl-seconds": "21601" }, "10.42.0.9", 0).status, 400);
  });

  it("serves the zone, the user data decoded, listings and the identity document", () => {
    const metadata = service("optional");
    const get = (path: string) => metadata.answer("GET", path, {}, "10.42.0.9", 0);
    assert.equal(get("/latest/meta-data/placement/availability-zone").body, "us-east-1a");
    assert.equal(get("/latest/user-data").body, "#!/bin/sh\necho hi\n");
    assert.match(get("/latest/meta-data/").body, /^ami-id\nami-launch-index\nhostname\ninstance-id\n/);
    assert.equal(get("/latest/meta-data/placement").body, "availability-zone\nregion");
    assert.equal(JSON.parse(get("/latest/dynamic/instance-identity/document").body).instanceId, "i-0123456789abcdef0");
    assert.equal(get("/latest/meta-data/nothing").status, 404);
  });

  it("lists an instance profile's role and answers its credentials as IMDS does, issued once and kept until a quarter-hour before expiry", () => {
    const profile = { arn: "arn:aws:iam::123456789012:instance-profile/web", id: "AIPA00000000000000001", roleArn: "arn:aws:iam::123456789012:role/app/web-role" };
    const metadata = new MetadataService();
    metadata.publish([{ ...instance, httpTokens: "optional", instanceProfile: profile }, { ...instance, instanceId: "i-00000000000000002", privateIp: "10.42.0.10", httpTokens: "optional" }]);
    const get = (path: string, address = "10.42.0.9") => metadata.answer("GET", path, {}, address, 0);
    assert.match(get("/latest/meta-data/").body, /\niam\/\n/);
    assert.equal(get("/latest/meta-data/iam/").body, "info\nsecurity-credentials/");
    assert.equal(get("/latest/meta-data/iam/security-credentials/").body, "web-role");
    assert.deepEqual(JSON.parse(get("/latest/meta-data/iam/info").body), { Code: "Success", LastUpdated: "2026-01-01T00:00:00Z", InstanceProfileArn: profile.arn, InstanceProfileId: profile.id });
    assert.equal(get("/latest/meta-data/iam/", "10.42.0.10").status, 404);

    const credentials = new InstanceCredentials();
    const call = (path: string, headers: Record<string, string> = {}, address = "10.42.0.9", at = 0) => credentials.call(metadata, "GET", path, headers, address, at);
    assert.equal(call("/latest/meta-data/iam/info"), undefined);
    assert.equal(call("/latest/meta-data/iam/security-credentials/"), undefined);
    const first = call("/latest/meta-data/iam/security-credentials/web-role");
    assert.deepEqual(first, { issue: { roleArn: profile.roleArn, sessionName: "i-0123456789abcdef0" }, instanceId: "i-0123456789abcdef0" });
    const issued = { AccessKeyId: "ASIAAAAAAAAAAAAAAAAA", SecretAccessKey: "secret", Token: "token", Expiration: new Date(3_600_000).toISOString(), RoleArn: profile.roleArn };
    const answered = JSON.parse(credentials.issued("i-0123456789abcdef0", profile.roleArn, issued, 1000).body);
    assert.deepEqual(answered, { Code: "Success", LastUpdated: "1970-01-01T00:00:01Z", Type: "AWS-HMAC", AccessKeyId: "ASIAAAAAAAAAAAAAAAAA", SecretAccessKey: "secret", Token: "token", Expiration: "1970-01-01T01:00:00Z" });
    const again = call("/latest/meta-data/iam/security-credentials/web-role", {}, "10.42.0.9", 2000);
    assert.ok(again && "answer" in again && JSON.parse(again.answer.body).AccessKeyId === "ASIAAAAAAAAAAAAAAAAA");
    assert.ok("issue" in call("/latest/meta-data/iam/security-credentials/web-role", {}, "10.42.0.9", 3_600_000 - 15 * 60_000)!);
    const status = (result: ReturnType<typeof call>) => (result && "answer" in result ? result.answer.status : 0);
    assert.equal(status(call("/latest/meta-data/iam/security-credentials/other-role")), 404);
    assert.equal(status(call("/latest/meta-data/iam/security-credentials/web-role", {}, "10.42.0.10")), 404);
    assert.equal(status(call("/latest/meta-data/iam/security-credentials/web-role", {}, "10.42.0.99")), 404);
    assert.equal(credentials.issued("i-0123456789abcdef0", profile.roleArn, { error: "no role" }, 0).status, 500);

    const strict = new MetadataService();
    strict.publish([{ ...instance, instanceProfile: profile }]);
    assert.equal(status(credentials.call(strict, "GET", "/latest/meta-data/iam/security-credentials/web-role", {}, "10.42.0.9", 0)), 401);
  });
});
