// Issue 12: the guide's eksctl cluster file, unchanged, through `moor cluster create -f`: the
// node-group node shows in `kubectl get nodes`, app=service pods in tb-demo run on Fargate nodes
// of fp-demo-service, the namespace's other pods on the node group; `moor cluster delete -f`
// undoes it. A field Moor does not act on is refused by name.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, moorEntry, run, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk } from "../kubectl.js";

const clusterFile = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: terrax-fargate, region: eu-west-1, version: "1.15"}
nodeGroups:
  - {name: node-group, instanceType: t2.medium, desiredCapacity: 1}
fargateProfiles:
  - name: fp-default
    selectors: [{namespace: default}, {namespace: kube-system}]
  - name: fp-demo-service
    selectors: [{namespace: tb-demo, labels: {app: service}}]
`;

const workloads = `apiVersion: v1
kind: Namespace
metadata: {name: tb-demo}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: service, namespace: tb-demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: service}}
  template:
    metadata: {labels: {app: service}}
    spec:
      containers: [{name: app, image: busybox, command: ["sleep", "3600"]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: tb-demo}
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers: [{name: app, image: busybox, command: ["sleep", "3600"]}]
`;

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

const moorCommand = (...args: string[]) => run(process.execPath, [moorEntry, ...args], { env: moor.env });

it("the guide's cluster file makes its cluster, profiles and node group, and pods land as it says", async () => {
  const path = join(moor.home, "cluster.yaml");
  writeFileSync(path, clusterFile);
  const created = await moorCommand("cluster", "create", "-f", path);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /cluster "terrax-fargate" ACTIVE/);

  const profiles = await aws(moor, ["eks", "list-fargate-profiles", "--cluster-name", "terrax-fargate", "--query", "fargateProfileNames", "--output", "text"]);
  assert.equal(profiles.stdout.trim(), "fp-default\tfp-demo-service");
  const group = JSON.parse((await aws(moor, ["eks", "describe-nodegroup", "--cluster-name", "terrax-fargate", "--nodegroup-name", "node-group"])).stdout).nodegroup;
  assert.deepEqual([group.instanceTypes, group.scalingConfig.desiredSize], [["t2.medium"], 1]);
  assert.equal(JSON.parse((await aws(moor, ["eks", "describe-cluster", "--name", "terrax-fargate"])).stdout).cluster.version, "1.15");

  await kubectlOk(moor, ["apply", "-f", "-"], workloads);
  await kubectlOk(moor, ["-n", "tb-demo", "rollout", "status", "deployment/service", "--timeout=90s"]);
  await kubectlOk(moor, ["-n", "tb-demo", "rollout", "status", "deployment/worker", "--timeout=90s"]);
  const nodes = (await kubectlJson(moor, ["get", "nodes"])).items;
  const groupNodes = nodes.filter((node: any) => node.metadata.labels["eks.amazonaws.com/nodegroup"] === "terrax-fargate.node-group");
  assert.equal(groupNodes.length, 1);
  assert.match(await kubectlOk(moor, ["get", "nodes"]), new RegExp(groupNodes[0].metadata.name.replaceAll(".", "\\.")));
  const pods = (await kubectlJson(moor, ["-n", "tb-demo", "get", "pods"])).items;
  for (const pod of pods.filter((candidate: any) => candidate.metadata.labels.app === "service")) {
    assert.match(pod.spec.nodeName, /^fargate-ip-/);
    assert.equal(pod.metadata.labels["eks.amazonaws.com/fargate-profile"], "terrax-fargate.fp-demo-service");
  }
  const worker = pods.find((candidate: any) => candidate.metadata.labels.app === "worker");
  assert.equal(worker.spec.nodeName, groupNodes[0].metadata.name);

  await kubectlOk(moor, ["delete", "namespace", "tb-demo", "--wait=false"]);
  const deleted = await moorCommand("cluster", "delete", "-f", path);
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await aws(moor, ["eks", "describe-cluster", "--name", "terrax-fargate"]);
  assert.match(gone.stderr, /ResourceNotFoundException/);
});

it("a field Moor does not act on is refused by its path, and nothing is made", async () => {
  const path = join(moor.home, "odd.yaml");
  writeFileSync(path, clusterFile.replace("desiredCapacity: 1}", "desiredCapacity: 1, spot: true}").replace("terrax-fargate", "odd"));
  const refused = await moorCommand("cluster", "create", "-f", path);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /field "nodeGroups\[0\]\.spot" is not supported by Moor/);
  assert.match((await aws(moor, ["eks", "describe-cluster", "--name", "odd"])).stderr, /ResourceNotFoundException/);
});
