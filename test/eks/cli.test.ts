// Issue 12: the guides' EKS and STS command lines, verbatim with only the endpoint set, against
// a running Moor with its default cluster `moor` and profile fp-default; the waiters return on
// their first poll; `aws eks update-kubeconfig` then `kubectl get ns` through the token path.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aws, type MoorUnderTest, run, startMoor } from "../harness.js";
import { countingProxy, type CountingProxy } from "./_counting-proxy.js";

let moor: MoorUnderTest;
let proxy: CountingProxy;
before(async () => {
  moor = await startMoor();
  proxy = await countingProxy(moor.env.AWS_ENDPOINT_URL!);
});
after(async () => {
  await proxy?.close();
  await moor?.dispose();
});

const ok = async (args: string[]) => {
  const result = await aws(moor, args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
};

describe("the guides' command lines", () => {
  it("aws sts get-caller-identity answers the account and the user moor", async () => {
    const identity = JSON.parse(await ok(["sts", "get-caller-identity"]));
    assert.deepEqual([identity.Account, identity.Arn], ["000000000000", "arn:aws:iam::000000000000:user/moor"]);
    assert.equal(await ok(["sts", "get-caller-identity", "--query", "Account", "--output", "text"]), "000000000000");
  });

  it("aws eks describe-cluster --query cluster.resourcesVpcConfig.vpcId prints the VPC quoted", async () => {
    assert.equal(await ok(["eks", "describe-cluster", "--name", "moor", "--query", "cluster.resourcesVpcConfig.vpcId"]), '"vpc-042a0000000000001"');
  });

  it("aws eks describe-fargate-profile --query fargateProfile.subnets prints the private subnets", async () => {
    const subnets = JSON.parse(await ok(["eks", "describe-fargate-profile", "--cluster-name", "moor", "--fargate-profile-name", "fp-default", "--query", "fargateProfile.subnets"]));
    assert.deepEqual(subnets, ["subnet-042a0000000000001", "subnet-042a0000000000002", "subnet-042a0000000000003"]);
  });

  it("documented errors come with EKS's code and text, exit 255", async () => {
    const missing = await aws(moor, ["eks", "describe-cluster", "--name", "nope"]);
    assert.equal(missing.code, 255);
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the DescribeCluster operation: No cluster found for name: nope\./);
    const reserved = await aws(moor, ["eks", "create-fargate-profile", "--cluster-name", "moor", "--fargate-profile-name", "eks-x", "--pod-execution-role-arn", "arn:aws:iam::000000000000:role/r", "--selectors", "namespace=x"]);
    assert.match(reserved.stderr, /\(InvalidParameterException\) .*: The fargate profile name starts with the reserved prefix: 'eks-'\./);
    const duplicate = await aws(moor, ["eks", "create-cluster", "--name", "moor", "--role-arn", "arn:aws:iam::000000000000:role/r", "--resources-vpc-config", "subnetIds=subnet-042a0000000000001,subnet-042a0000000000002"]);
    assert.match(duplicate.stderr, /\(ResourceInUseException\) .*: Cluster already exists with name: moor/);
  });
});

describe("waiters", () => {
  it("aws eks wait cluster-active and fargate-profile-active poll exactly once", async () => {
    const viaProxy = { ...moor.env, AWS_ENDPOINT_URL: proxy.endpoint, AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const created = await run("aws", ["eks", "create-cluster", "--name", "waited", "--role-arn", "arn:aws:iam::000000000000:role/r", "--resources-vpc-config", "subnetIds=subnet-042a0000000000001,subnet-042a0000000000002"], { env: viaProxy });
    assert.equal(created.code, 0, created.stderr);
    const cluster = await run("aws", ["eks", "wait", "cluster-active", "--name", "waited"], { env: viaProxy });
    assert.equal(cluster.code, 0, cluster.stderr);
    assert.equal(proxy.count("GET", "/clusters/waited"), 1);
    const profile = await run("aws", ["eks", "create-fargate-profile", "--cluster-name", "waited", "--fargate-profile-name", "fp-default", "--pod-execution-role-arn", "arn:aws:iam::000000000000:role/r", "--selectors", "namespace=default"], { env: viaProxy });
    assert.equal(profile.code, 0, profile.stderr);
    const waited = await run("aws", ["eks", "wait", "fargate-profile-active", "--cluster-name", "waited", "--fargate-profile-name", "fp-default"], { env: viaProxy });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(proxy.count("GET", "/clusters/waited/fargate-profiles/fp-default"), 1);
  });
});

describe("kube API auth through aws eks get-token", () => {
  it("update-kubeconfig with only the endpoint set writes an exec user, and kubectl get ns works with it", async () => {
    const kubeconfig = join(moor.home, "eks-kubeconfig");
    const env = { ...moor.env, KUBECONFIG: kubeconfig, AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", KUBECACHEDIR: join(moor.home, "eks-kubecache") };
    const updated = await run("aws", ["eks", "update-kubeconfig", "--name", "moor"], { env });
    assert.equal(updated.code, 0, updated.stderr);
    const written = readFileSync(kubeconfig, "utf8");
    assert.match(written, /command: aws/);
    assert.doesNotMatch(written, /token:/);
    const namespaces = await run("kubectl", ["get", "ns"], { env });
    assert.equal(namespaces.code, 0, namespaces.stderr);
    assert.match(namespaces.stdout, /kube-system +Active/);
  });

  it("a token signed with credentials Moor did not issue is refused", async () => {
    const kubeconfig = join(moor.home, "eks-kubeconfig-other");
    const env = { ...moor.env, KUBECONFIG: kubeconfig, AWS_ACCESS_KEY_ID: "someone-else", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", KUBECACHEDIR: join(moor.home, "eks-kubecache-2") };
    assert.equal((await run("aws", ["eks", "update-kubeconfig", "--name", "moor"], { env })).code, 0);
    const refused = await run("kubectl", ["get", "ns"], { env });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized|must be logged in/);
  });
});
