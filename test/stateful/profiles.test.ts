// Scenario 4 of the stateful issue: a profile that selects only app=service pods in a namespace;
// service pods get a Fargate node each, database pods land on the node group.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type MoorUnderTest, moorEntry, repoRoot, run, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

const fargateNodes = (nodes: any[]) => nodes.filter((node) => node.metadata.labels?.["eks.amazonaws.com/compute-type"] === "fargate");

it("runs service pods on one Fargate node each and database pods on the node group", async () => {
  const moorCommand = (...args: string[]) => run(process.execPath, [moorEntry, ...args], { env: moor.env });
  const profile = await moorCommand("profile", "create", "shop-services", "--namespace", "shop", "--label", "app=service");
  assert.equal(profile.code, 0, profile.stderr);
  const group = await moorCommand("nodegroup", "create", "general", "--zone", "us-east-1a", "--nodes", "1");
  assert.equal(group.code, 0, group.stderr);

  await kubectlOk(moor, ["apply", "-f", join(repoRoot, "examples/profiles/manifests.yaml")]);
  await kubectlOk(moor, ["-n", "shop", "rollout", "status", "deployment/service", "--timeout=90s"]);
  await kubectlOk(moor, ["-n", "shop", "rollout", "status", "deployment/database", "--timeout=90s"]);

  const pods = (await kubectlJson(moor, ["-n", "shop", "get", "pods"])).items;
  const services = pods.filter((pod: any) => pod.metadata.labels.app === "service");
  const database = pods.find((pod: any) => pod.metadata.labels.app === "database");
  assert.equal(new Set(services.map((pod: any) => pod.spec.nodeName)).size, 4);
  for (const pod of services) {
    assert.equal(pod.spec.schedulerName, "fargate-scheduler");
    assert.equal(pod.metadata.labels["eks.amazonaws.com/fargate-profile"], "shop-services");
  }
  assert.match(database.spec.nodeName, /^ip-10-42-\d+-\d+\.ec2\.internal$/);
  const table = await kubectlOk(moor, ["get", "nodes"]);
  assert.match(table, /fargate-ip-10-42-/);
  assert.match(table, /\nip-10-42-/);
  assert.equal(fargateNodes((await kubectlJson(moor, ["get", "nodes"])).items).length, 4);

  await kubectlOk(moor, ["-n", "shop", "scale", "deployment/service", "--replicas=1"]);
  await waitFor("three Fargate nodes to go", async () => fargateNodes((await kubectlJson(moor, ["get", "nodes"])).items).length === 1, 60_000);
});
