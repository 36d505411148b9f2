// The metadata service's answers, without a network: IMDSv2 tokens bound to the asking
// address and expiring with their TTL, IMDSv1 only where allowed, the metadata tree's paths.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
});
