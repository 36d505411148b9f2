// Scenarios 1 and 6 of the stateful issue, with the real aws CLI and kubectl: a static volume
// through an access point shared by three serverless replicas, kept across scale to zero and
// across a restart of Moor.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type MoorUnderTest, repoRoot, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { createAccessPoint, createFileSystem, createMountTargets } from "./_efs.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

async function runningPods(selector: string, count: number): Promise<any[]> {
  return waitFor(`${count} running pods for ${selector}`, async () => {
    const pods = (await kubectlJson(moor, ["get", "pods", "-l", selector])).items;
    const ready = pods.filter((pod: any) => !pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
    return pods.length === count && ready.length === count ? ready : undefined;
  }, 90_000);
}

it("shares one access point's files across three Fargate replicas, through scale to zero and a restart", async () => {
  const fileSystemId = await createFileSystem(moor, "shared-volume");
  await createMountTargets(moor, fileSystemId);
  const accessPointId = await createAccessPoint(moor, fileSystemId, [
    "--posix-user", "Uid=1000,Gid=1000",
    "--root-directory", "Path=/shared,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=775}",
  ]);
  const manifests = readFileSync(join(repoRoot, "examples/static-shared/manifests.yaml"), "utf8")
    .replaceAll("FILE_SYSTEM_ID", fileSystemId)
    .replaceAll("ACCESS_POINT_ID", accessPointId);
  await kubectlOk(moor, ["apply", "-f", "-"], manifests);
  await kubectlOk(moor, ["rollout", "status", "deployment/writer", "--timeout=90s"]);

  const pods = await runningPods("app=writer", 3);
  const nodes = new Set(pods.map((pod) => pod.spec.nodeName));
  assert.equal(nodes.size, 3, "each replica runs on a Fargate node of its own");
  for (const node of nodes) assert.match(node, /^fargate-ip-10-42-\d+-\d+\.ec2\.internal$/);
  for (const pod of pods) assert.ok(pod.metadata.annotations?.CapacityProvisioned, "each pod carries its Fargate size");

  const [first, ...others] = pods.map((pod) => pod.metadata.name as string);
  await kubectlOk(moor, ["exec", first!, "--", "sh", "-c", "echo written-by-one > /data/shared.txt"]);
  for (const name of others) {
    assert.equal((await kubectlOk(moor, ["exec", name, "--", "cat", "/data/shared.txt"])).trim(), "written-by-one");
  }
  assert.equal((await kubectlOk(moor, ["exec", first!, "--", "id", "-u"])).trim(), "0", "the writer runs as root");
  assert.equal((await kubectlOk(moor, ["exec", others[0]!, "--", "stat", "-c", "%u:%g", "/data/shared.txt"])).trim(), "1000:1000");

  await kubectlOk(moor, ["scale", "deployment/writer", "--replicas=0"]);
  await waitFor("no writer pods", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=writer"])).items.length === 0, 60_000);
  await kubectlOk(moor, ["scale", "deployment/writer", "--replicas=3"]);
  const again = await runningPods("app=writer", 3);
  assert.equal((await kubectlOk(moor, ["exec", again[0].metadata.name, "--", "cat", "/data/shared.txt"])).trim(), "written-by-one");

  // Scenario 6: Moor restarted in the middle; pods, mounts and data as before.
  await moor.stop();
  await moor.start();
  const restarted = await runningPods("app=writer", 3);
  assert.deepEqual(restarted.map((pod) => pod.metadata.name).sort(), again.map((pod) => pod.metadata.name).sort());
  for (const pod of restarted) {
    assert.equal((await kubectlOk(moor, ["exec", pod.metadata.name, "--", "cat", "/data/shared.txt"])).trim(), "written-by-one");
  }
  await kubectlOk(moor, ["exec", restarted[1].metadata.name, "--", "sh", "-c", "echo after-restart >> /data/shared.txt"]);
  assert.match(await kubectlOk(moor, ["exec", restarted[2].metadata.name, "--", "cat", "/data/shared.txt"]), /written-by-one\nafter-restart/);
});
