// Issue 10, "a rule lives once": the objects that both kubectl and another API write
// (FileSystem, AccessPoint, MountTarget through the aws CLI; FargateProfile through `moor
// profile`) meet the same service operation from either side, so the same request gets the same
// refusal. The regression that started it: `kubectl delete filesystem` of a file system with
// mount targets deleted it, data directory and all, where `aws efs delete-file-system` refuses
// with FileSystemInUse.

import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { embeddedVpc } from "../../src/domain/network/mod.js";
import { aws, moorEntry, type MoorUnderTest, run, type RunResult } from "../harness.js";
import { kubectl, kubectlOk, waitFor } from "../kubectl.js";
import { startKubeMoor } from "../kube/_kube.js";

const subnets = embeddedVpc("us-east-1").subnets.map((subnet) => subnet.subnetId);
let moor: MoorUnderTest;

before(async () => {
  moor = await startKubeMoor();
});
after(async () => {
  await moor?.dispose();
});

async function awsText(args: string[]): Promise<string> {
  const result = await aws(moor, [...args, "--output", "text"]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

function moorCli(args: string[]): Promise<RunResult> {
  return run(process.execPath, [moorEntry, ...args], { env: moor.env });
}

/** The aws CLI's error: its code and message (`An error occurred (Code) when calling ...: message`). */
function awsError(result: RunResult): { code: string; message: string } {
  assert.notEqual(result.code, 0, "the aws CLI should have failed");
  const match = /An error occurred \((\w+)\) when calling the \w+ operation: (.*)/.exec(result.stderr);
  assert.ok(match, result.stderr);
  return { code: match[1]!, message: match[2]!.trim() };
}

/** kubectl's error: the Status reason and message (`Error from server (Reason): message`). */
function kubectlError(result: RunResult): { reason: string; message: string } {
  assert.notEqual(result.code, 0, "kubectl should have failed");
  const match = /Error from server \((\w+)\): (?:error when creating "STDIN": )?(.*)/.exec(result.stderr);
  assert.ok(match, `kubectl said: ${result.stderr}`);
  return { reason: match[1]!, message: match[2]!.trim() };
}

async function availableFileSystem(token: string): Promise<string> {
  const id = await awsText(["efs", "create-file-system", "--creation-token", token, "--query", "FileSystemId"]);
  await waitFor(`file system ${id} available`, async () => (await awsText(["efs", "describe-file-systems", "--file-system-id", id, "--query", "FileSystems[0].LifeCycleState"])) === "available");
  return id;
}

function dataDirectory(fileSystemId: string): string {
  return join(moor.env.MOOR_BACKING_ROOT ?? join(moor.home, "filesystems"), fileSystemId);
}

describe("FileSystem", () => {
  it("kubectl delete filesystem with mount targets is refused with the FileSystemInUse text and loses nothing (issue 10)", async () => {
    const id = await availableFileSystem("in-use");
    writeFileSync(join(dataDirectory(id), "keep.txt"), "still here");
    for (const subnet of subnets) await awsText(["efs", "create-mount-target", "--file-system-id", id, "--subnet-id", subnet, "--query", "MountTargetId"]);
    const fromKubectl = kubectlError(await kubectl(moor, ["delete", "filesystem", id]));
    const fromAws = awsError(await aws(moor, ["efs", "delete-file-system", "--file-system-id", id]));
    assert.equal(fromAws.code, "FileSystemInUse");
    assert.equal(fromKubectl.reason, "Conflict");
    assert.match(fromKubectl.message, new RegExp(`^Cannot delete file system: file system "${id}" has 3 mount target\\(s\\) .*; delete them first$`));
    assert.equal(fromKubectl.message, fromAws.message, "one rule, one message");
    assert.equal(await kubectlOk(moor, ["get", "filesystem", id, "-o", "jsonpath={.status.lifeCycleState}"]), "available");
    assert.equal(await awsText(["efs", "describe-mount-targets", "--file-system-id", id, "--query", "length(MountTargets)"]), "3");
    assert.equal(readFileSync(join(dataDirectory(id), "keep.txt"), "utf8"), "still here");
  });

  it("kubectl and the aws CLI both answer not found for a missing file system", async () => {
    const missing = "fs-0123456789abcdef0";
    assert.equal(kubectlError(await kubectl(moor, ["delete", "filesystem", missing])).reason, "NotFound");
    assert.equal(awsError(await aws(moor, ["efs", "delete-file-system", "--file-system-id", missing])).code, "FileSystemNotFound");
  });

  it("once kubectl has deleted the mount targets, kubectl delete filesystem goes through EFS's deletion and the data goes with it", async () => {
    const id = await availableFileSystem("emptied");
    const target = await awsText(["efs", "create-mount-target", "--file-system-id", id, "--subnet-id", subnets[0]!, "--query", "MountTargetId"]);
    assert.match(await kubectlOk(moor, ["delete", "mounttarget", target]), /deleted/);
    assert.equal(awsError(await aws(moor, ["efs", "describe-mount-targets", "--mount-target-id", target])).code, "MountTargetNotFound");
    assert.match(await kubectlOk(moor, ["delete", "filesystem", id]), /deleted/);
    await waitFor(`file system ${id} gone`, async () => awsError(await aws(moor, ["efs", "describe-file-systems", "--file-system-id", id])).code === "FileSystemNotFound");
    await waitFor(`data directory of ${id} gone`, () => !existsSync(dataDirectory(id)));
  });
});

describe("AccessPoint and MountTarget", () => {
  it("a deletion through kubectl is the EFS deletion: the aws CLI no longer finds the access point", async () => {
    const id = await availableFileSystem("points");
    const point = await awsText(["efs", "create-access-point", "--file-system-id", id, "--query", "AccessPointId"]);
    assert.match(await kubectlOk(moor, ["delete", "accesspoint", point]), /deleted/);
    assert.equal(awsError(await aws(moor, ["efs", "describe-access-points", "--access-point-id", point])).code, "AccessPointNotFound");
    assert.equal(awsError(await aws(moor, ["efs", "delete-access-point", "--access-point-id", point])).code, "AccessPointNotFound");
    assert.equal(kubectlError(await kubectl(moor, ["delete", "accesspoint", point])).reason, "NotFound");
  });

  it("kubectl and the aws CLI both answer not found for a missing mount target", async () => {
    const missing = "fsmt-0123456789abcdef0";
    assert.equal(awsError(await aws(moor, ["efs", "delete-mount-target", "--mount-target-id", missing])).code, "MountTargetNotFound");
    assert.equal(kubectlError(await kubectl(moor, ["delete", "mounttarget", missing])).reason, "NotFound");
  });

  it("kubectl still refuses to create EFS objects: only the EFS API makes them", async () => {
    const refused = await kubectl(moor, ["create", "-f", "-"], JSON.stringify({ apiVersion: "efs.moor.dev/v1", kind: "AccessPoint", metadata: { name: "fsap-0123456789abcdef0" } }));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /MethodNotAllowed|does not allow this method/);
  });
});

describe("FargateProfile", () => {
  const manifest = (name: string, spec: object) => JSON.stringify({ apiVersion: "eks.moor.dev/v1", kind: "FargateProfile", metadata: { name }, spec });

  it("a duplicate is refused with the same AlreadyExists text from kubectl and from moor profile", async () => {
    const created = await moorCli(["profile", "create", "shared", "--namespace", "team"]);
    assert.equal(created.code, 0, created.stderr);
    const fromKubectl = kubectlError(await kubectl(moor, ["create", "-f", "-"], manifest("shared", { selectors: [{ namespace: "team" }] })));
    const fromMoor = await moorCli(["profile", "create", "shared", "--namespace", "team"]);
    assert.equal(fromKubectl.reason, "AlreadyExists");
    assert.equal(fromKubectl.message, 'Cannot create Fargate profile "shared": it already exists');
    assert.equal(fromMoor.code, 1);
    assert.equal(fromMoor.stderr.trim(), `moor: ${fromKubectl.message}`);
    assert.match(await kubectlOk(moor, ["delete", "fargateprofile", "shared"]), /deleted/);
    await waitFor("profile shared gone", async () => (await kubectl(moor, ["get", "fargateprofile", "shared"])).code !== 0);
  });

  it("a subnet outside the VPC is refused with the same text from kubectl and from moor profile", async () => {
    const fromKubectl = kubectlError(await kubectl(moor, ["create", "-f", "-"], manifest("stray", { selectors: [{ namespace: "team" }], subnets: ["subnet-0bad"] })));
    const fromMoor = await moorCli(["profile", "create", "stray", "--namespace", "team", "--subnet", "subnet-0bad"]);
    assert.equal(fromKubectl.reason, "BadRequest");
    assert.equal(fromKubectl.message, `Cannot create Fargate profile "stray": Subnet subnet-0bad provided in Fargate Profile is not a private subnet of the cluster's VPC`);
    assert.equal(fromMoor.stderr.trim(), `moor: ${fromKubectl.message}`);
  });

  it("deleting a missing profile is not found from both", async () => {
    assert.equal(kubectlError(await kubectl(moor, ["delete", "fargateprofile", "absent"])).reason, "NotFound");
    const fromMoor = await moorCli(["profile", "rm", "absent"]);
    assert.equal(fromMoor.stderr.trim(), 'moor: No Fargate Profile found with name: absent.');
  });
});

describe("node groups (written by the moor API only: they are no Kubernetes kind)", () => {
  it("moor nodegroup create refuses a duplicate and moor nodegroup rm a missing group, through the EKS service", async () => {
    assert.equal((await moorCli(["nodegroup", "create", "workers", "--nodes", "0"])).code, 0);
    assert.equal((await moorCli(["nodegroup", "create", "workers"])).stderr.trim(), 'moor: NodeGroup already exists with name workers and cluster name moor');
    assert.equal((await moorCli(["nodegroup", "rm", "workers"])).code, 0);
    assert.equal((await moorCli(["nodegroup", "rm", "workers"])).stderr.trim(), 'moor: No node group found for name: workers.');
  });
});
