// Issue 14: ECR end to end. The API through the JavaScript SDK v3 and the aws CLI (v1); a push
// with `moor image push` and with skopeo (the token from `aws ecr get-login-password`) to the
// repository URI, which resolves on the host; ECR's refusals on the registry's wire (a
// repository that does not exist, an existing tag of an IMMUTABLE repository); then a
// Deployment running the pushed image from its ECR URI, and a missing tag as the kubelet shows it.

// moor-test: alone (skopeo on the host finds the registry by its name in /etc/hosts, which
// every Moor on the host writes: another Moor running at the same time may answer instead)

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ListImagesCommand,
  BatchDeleteImageCommand,
  PutImageTagMutabilityCommand,
  PutImageScanningConfigurationCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotEmptyException,
  RepositoryNotFoundException,
} from "@aws-sdk/client-ecr";
import { aws, moorEntry, type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

let moor: MoorUnderTest;
let ecr: ECRClient;
const host = "000000000000.dkr.ecr.us-east-1.amazonaws.com";

before(async () => {
  moor = await startMoor();
  ecr = new ECRClient({ endpoint: moor.env.AWS_ENDPOINT_URL!, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" }, maxAttempts: 1 });
});
after(async () => {
  ecr?.destroy();
  await moor?.dispose();
});

async function refusal(promise: Promise<unknown>): Promise<Error & { name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  assert.fail("expected a refusal");
}

const ok = async (args: string[]) => {
  const result = await aws(moor, [...args, "--endpoint-url", moor.env.AWS_ENDPOINT_URL!, "--region", "us-east-1"]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
};

const moorImage = (...args: string[]) => run(process.execPath, [moorEntry, "image", ...args], { env: moor.env });

async function skopeoCopy(from: string, to: string, password: string) {
  const creds = `AWS:${password}`;
  return run("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--src-creds", creds, "--dest-creds", creds, from, to], { timeoutMs: 120_000 });
}

describe("the ECR API", () => {
  it("creates, describes and refuses repositories as ECR does (SDK)", async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: "team/api", imageScanningConfiguration: { scanOnPush: true }, tags: [{ Key: "team", Value: "a" }] }));
    assert.equal(repository!.repositoryUri, `${host}/team/api`);
    assert.equal(repository!.repositoryArn, "arn:aws:ecr:us-east-1:000000000000:repository/team/api");
    assert.ok(repository!.createdAt instanceof Date);
    const again = await refusal(ecr.send(new CreateRepositoryCommand({ repositoryName: "team/api" })));
    assert.ok(again instanceof RepositoryAlreadyExistsException);
    assert.equal(again.message, "The repository with name 'team/api' already exists in the registry with id '000000000000'");
    const missing = await refusal(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["nope"] })));
    assert.ok(missing instanceof RepositoryNotFoundException);
    assert.equal(missing.message, "The repository with name 'nope' does not exist in the registry with id '000000000000'");
    const mutability = await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: "team/api", imageTagMutability: "IMMUTABLE" }));
    assert.equal(mutability.imageTagMutability, "IMMUTABLE");
    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: "team/api", imageScanningConfiguration: { scanOnPush: false } }));
    const [described] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["team/api"] }))).repositories!;
    assert.deepEqual([described!.imageTagMutability, described!.imageScanningConfiguration?.scanOnPush], ["IMMUTABLE", false]);
  });

  it("gives a token whose password `aws ecr get-login-password` prints (CLI)", async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const [data] = authorizationData!;
    assert.equal(data!.proxyEndpoint, `https://${host}`);
    assert.ok(data!.expiresAt!.getTime() > Date.now() + 11 * 3600_000);
    assert.match(Buffer.from(data!.authorizationToken!, "base64").toString(), /^AWS:\S+$/);
    const bad = await aws(moor, ["ecr", "create-repository", "--repository-name", "Bad", "--endpoint-url", moor.env.AWS_ENDPOINT_URL!, "--region", "us-east-1"]);
    assert.match(bad.stderr, /An error occurred \(InvalidParameterException\) when calling the CreateRepository operation: Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '\(\?:\[a-z0-9\]\+/);
    const password = await ok(["ecr", "get-login-password"]);
    assert.match(password, /^\S+$/);
    const created = JSON.parse(await ok(["ecr", "create-repository", "--repository-name", "web"]));
    assert.equal(created.repository.repositoryUri, `${host}/web`);
  });
});

describe("pushing and pulling", () => {
  let password: string;
  before(async () => {
    password = await ok(["ecr", "get-login-password"]);
  });

  it("moor image push sends a local image to the repository URI; DescribeImages and ListImages show it", async () => {
    const pushed = await moorImage("push", "busybox:latest", `${host}/web:v1`);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /v1: digest: sha256:[a-f0-9]{64} size: \d+/);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed.stdout)![1];
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: "web" }));
    assert.equal(imageDetails!.length, 1);
    assert.deepEqual([imageDetails![0]!.imageDigest, imageDetails![0]!.imageTags], [digest, ["v1"]]);
    assert.ok(imageDetails![0]!.imageSizeInBytes! > 500_000);
    const again = await moorImage("push", "busybox:latest", `${host}/web:v1`);
    assert.match(again.stdout, /Layer already exists/);
    assert.deepEqual((await ecr.send(new ListImagesCommand({ repositoryName: "web" }))).imageIds, [{ imageDigest: digest, imageTag: "v1" }]);
  });

  it("skopeo copies through the host name with the token, and meets ECR's refusals on the registry's wire", async () => {
    const copied = await skopeoCopy(`docker://${host}/web:v1`, `docker://${host}/team/api:v1`, password);
    assert.equal(copied.code, 0, copied.stderr);
    const tagged = await skopeoCopy(`docker://${host}/web:v1`, `docker://${host}/web:skopeo`, password);
    assert.equal(tagged.code, 0, tagged.stderr);
    const immutable = await skopeoCopy(`docker://${host}/web:v1`, `docker://${host}/team/api:v1`, password);
    assert.notEqual(immutable.code, 0);
    assert.match(immutable.stderr, /tag invalid: The image tag 'v1' already exists in the 'team\/api' repository and cannot be overwritten because the repository is immutable\./);
    const unknown = await skopeoCopy(`docker://${host}/web:v1`, `docker://${host}/absent:v1`, password);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /name unknown: The repository with name 'absent' does not exist in the registry with id '000000000000'/);
    const denied = await skopeoCopy(`docker://${host}/web:v1`, `docker://${host}/web:v2`, "wrong");
    assert.notEqual(denied.code, 0);
  });

  it("BatchDeleteImage and DeleteRepository follow ECR: failures listed, a non-empty repository kept unless forced", async () => {
    const answer = await ecr.send(new BatchDeleteImageCommand({ repositoryName: "team/api", imageIds: [{ imageTag: "nope" }] }));
    assert.deepEqual(answer.failures, [{ imageId: { imageTag: "nope" }, failureCode: "ImageNotFound", failureReason: "Requested image not found" }]);
    const kept = await refusal(ecr.send(new DeleteRepositoryCommand({ repositoryName: "team/api" })));
    assert.ok(kept instanceof RepositoryNotEmptyException);
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: "team/api", force: true }));
  });
});

describe("pods pulling from ECR", () => {
  const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - {name: main, image: "${image}", command: ["sh", "-c", "echo from ecr; sleep 3600"]}
`;

  it("a Deployment using the ECR URI of the image skopeo pushed with `aws ecr get-login-password` runs", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], deployment("from-ecr", `${host}/web:skopeo`));
    const pod = await waitFor("the pod to run", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=from-ecr"])).items.find((item: any) => item.status.phase === "Running"));
    assert.match(pod.status.containerStatuses[0].imageID, new RegExp(`^${host}/web@sha256:`));
    assert.equal((await kubectlOk(moor, ["logs", pod.metadata.name])).trim(), "from ecr");
  });

  it("a missing tag gives ErrImagePull with the registry's answer, then ImagePullBackOff", async () => {
    const image = `${host}/web:missing`;
    await kubectlOk(moor, ["apply", "-f", "-"], deployment("missing-tag", image));
    const waiting = async (reason: string) =>
      (await kubectlJson(moor, ["get", "pods", "-l", "app=missing-tag"])).items.map((item: any) => item.status.containerStatuses?.[0]?.state?.waiting).find((state: any) => state?.reason === reason);
    const pulled = await waitFor("ErrImagePull", () => waiting("ErrImagePull"));
    assert.equal(pulled.message, `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`);
    const backOff = await waitFor("ImagePullBackOff", () => waiting("ImagePullBackOff"));
    assert.equal(backOff.message, `Back-off pulling image "${image}"`);
  });
});
