// The ECR API's operations over the in-memory store with a fixed clock: repositories and their
// refusals in ECR's texts, images recorded by the registry rules and listed, described and
// deleted as ECR does, tokens the registry accepts until they expire, and tag immutability.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { createMemoryStore } from "../../store/mod.js";
import { createEcrService, type EcrService } from "./mod.js";

const account = "123456789012";
let now: Date;
let ecr: EcrService;

beforeEach(() => {
  now = new Date("2026-01-02T03:04:05Z");
  ecr = createEcrService({ store: createMemoryStore(), accountId: account, tokenSecret: "s3cret", now: () => now });
});

const call = (operation: string, input: object) => ecr.operations[operation]!(input, { region: "eu-west-1" }) as any;

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const push = (name: string, reference: string, n: number) => ecr.registry.recordManifest(name, reference, { digest: digest(n), mediaType: "application/vnd.oci.image.manifest.v1+json", sizeBytes: 1000 + n });

describe("repositories", () => {
  it("CreateRepository answers the repository's URI, ARN and settings", () => {
    const { repository } = call("CreateRepository", { repositoryName: "team/web", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } });
    assert.equal(repository.repositoryUri, `${account}.dkr.ecr.eu-west-1.amazonaws.com/team/web`);
    assert.equal(repository.repositoryArn, `arn:aws:ecr:eu-west-1:${account}:repository/team/web`);
    assert.equal(repository.imageTagMutability, "IMMUTABLE");
    assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(repository.createdAt, now);
  });

  it("CreateRepository refuses a name ECR refuses and a name taken, in ECR's words", () => {
    assert.throws(() => call("CreateRepository", { repositoryName: "Web" }), { name: "MoorError", code: "InvalidParameterException", message: "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''" });
    for (const name of ["web-", "a//b", "x"]) assert.throws(() => call("CreateRepository", { repositoryName: name }), { name: "MoorError", code: "InvalidParameterException" }, name);
    call("CreateRepository", { repositoryName: "web" });
    assert.throws(() => call("CreateRepository", { repositoryName: "web" }), { name: "MoorError", code: "RepositoryAlreadyExistsException", message: `The repository with name 'web' already exists in the registry with id '${account}'` });
  });

  it("DescribeRepositories names the first missing repository and pages the rest by name", () => {
    for (const name of ["c1", "a1", "b1"]) call("CreateRepository", { repositoryName: name });
    assert.throws(() => call("DescribeRepositories", { repositoryNames: ["a1", "zz"] }), { name: "MoorError", code: "RepositoryNotFoundException", message: `The repository with name 'zz' does not exist in the registry with id '${account}'` });
    const first = call("DescribeRepositories", { maxResults: 2 });
    assert.deepEqual(first.repositories.map((r: any) => r.repositoryName), ["a1", "b1"]);
    const second = call("DescribeRepositories", { maxResults: 2, nextToken: first.nextToken });
    assert.deepEqual(second.repositories.map((r: any) => r.repositoryName), ["c1"]);
    assert.equal(second.nextToken, undefined);
  });

  it("DeleteRepository refuses a repository with images unless forced", () => {
    call("CreateRepository", { repositoryName: "web" });
    push("web", "v1", 1);
    assert.throws(() => call("DeleteRepository", { repositoryName: "web" }), { name: "MoorError", code: "RepositoryNotEmptyException", message: `The repository with name 'web' in registry with id '${account}' cannot be deleted because it still contains images` });
    assert.equal(call("DeleteRepository", { repositoryName: "web", force: true }).repository.repositoryName, "web");
    assert.throws(() => call("DescribeRepositories", { repositoryNames: ["web"] }), { name: "MoorError", code: "RepositoryNotFoundException" });
  });

  it("tags are added, listed and removed by the repository's ARN", () => {
    const { repository } = call("CreateRepository", { repositoryName: "web", tags: [{ Key: "team", Value: "a" }] });
    call("TagResource", { resourceArn: repository.repositoryArn, tags: [{ Key: "team", Value: "b" }, { Key: "env", Value: "dev" }] });
    assert.deepEqual(call("ListTagsForResource", { resourceArn: repository.repositoryArn }).tags, [{ Key: "team", Value: "b" }, { Key: "env", Value: "dev" }]);
    call("UntagResource", { resourceArn: repository.repositoryArn, tagKeys: ["team"] });
    assert.deepEqual(call("ListTagsForResource", { resourceArn: repository.repositoryArn }).tags, [{ Key: "env", Value: "dev" }]);
    assert.throws(() => call("ListTagsForResource", { resourceArn: `arn:aws:ecr:eu-west-1:${account}:repository/none` }), { name: "MoorError", code: "RepositoryNotFoundException" });
  });
});

describe("images", () => {
  beforeEach(() => call("CreateRepository", { repositoryName: "web" }));

  it("a pushed tag moves to the new manifest and the old one stays untagged", () => {
    push("web", "v1", 1);
    now = new Date("2026-01-02T04:00:00Z");
    push("web", "v1", 2);
    assert.deepEqual(call("ListImages", { repositoryName: "web" }).imageIds, [{ imageDigest: digest(2), imageTag: "v1" }, { imageDigest: digest(1) }]);
    assert.deepEqual(call("ListImages", { repositoryName: "web", filter: { tagStatus: "UNTAGGED" } }).imageIds, [{ imageDigest: digest(1) }]);
    const [detail] = call("DescribeImages", { repositoryName: "web", imageIds: [{ imageTag: "v1" }] }).imageDetails;
    assert.deepEqual(detail, { registryId: account, repositoryName: "web", imageDigest: digest(2), imageTags: ["v1"], imageSizeInBytes: 1002, imagePushedAt: now, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json" });
  });

  it("DescribeImages names an unknown image as ECR does", () => {
    assert.throws(() => call("DescribeImages", { repositoryName: "web", imageIds: [{ imageTag: "nope" }] }), { name: "MoorError", code: "ImageNotFoundException", message: `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'web' in the registry with id '${account}'` });
  });

  it("BatchDeleteImage removes a tag, an image by digest, and lists what it could not find", () => {
    push("web", "v1", 1);
    push("web", "latest", 1);
    push("web", "v2", 2);
    const answer = call("BatchDeleteImage", { repositoryName: "web", imageIds: [{ imageTag: "latest" }, { imageDigest: digest(2) }, { imageTag: "gone" }, { imageDigest: "bad" }, {}] });
    assert.deepEqual(answer.imageIds, [{ imageDigest: digest(1), imageTag: "latest" }, { imageDigest: digest(2), imageTag: "v2" }]);
    assert.deepEqual(answer.failures, [
      { imageId: { imageTag: "gone" }, failureCode: "ImageNotFound", failureReason: "Requested image not found" },
      { imageId: { imageDigest: "bad" }, failureCode: "InvalidImageDigest", failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'" },
      { imageId: {}, failureCode: "MissingDigestAndTag", failureReason: "Invalid request parameters: both tag and digest cannot be null" },
    ]);
    assert.deepEqual(call("ListImages", { repositoryName: "web" }).imageIds, [{ imageDigest: digest(1), imageTag: "v1" }]);
  });

  it("an IMMUTABLE repository refuses a push of an existing tag, even of the same manifest", () => {
    push("web", "v1", 1);
    call("PutImageTagMutability", { repositoryName: "web", imageTagMutability: "IMMUTABLE" });
    assert.throws(() => push("web", "v1", 1), { name: "MoorError", code: "TAG_INVALID", message: "The image tag 'v1' already exists in the 'web' repository and cannot be overwritten because the repository is immutable." });
    push("web", "v2", 2);
    assert.equal(ecr.registry.resolve("web", "v2").digest, digest(2));
  });

  it("a push to a repository that does not exist is NAME_UNKNOWN with ECR's text", () => {
    assert.throws(() => push("nope", "v1", 1), { name: "MoorError", code: "NAME_UNKNOWN", message: `The repository with name 'nope' does not exist in the registry with id '${account}'` });
  });
});

describe("authorization", () => {
  it("a token decodes to AWS:<password>, which the registry accepts until it expires 12 hours later", () => {
    const [data] = call("GetAuthorizationToken", {}).authorizationData;
    assert.equal(data.proxyEndpoint, `https://${account}.dkr.ecr.eu-west-1.amazonaws.com`);
    assert.deepEqual(data.expiresAt, new Date(now.getTime() + 12 * 3600_000));
    const decoded = Buffer.from(data.authorizationToken, "base64").toString();
    assert.match(decoded, /^AWS:\S+$/);
    const header = `Basic ${Buffer.from(decoded).toString("base64")}`;
    ecr.registry.authenticate(header);
    assert.throws(() => ecr.registry.authenticate(`Basic ${Buffer.from(decoded + "x").toString("base64")}`), { name: "MoorError", code: "UNAUTHORIZED" });
    assert.throws(() => ecr.registry.authenticate(undefined), { name: "MoorError", code: "UNAUTHORIZED" });
    now = new Date(now.getTime() + 12 * 3600_000 + 1000);
    assert.throws(() => ecr.registry.authenticate(header), { name: "MoorError", message: /expired/ });
  });
});
