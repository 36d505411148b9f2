// bench/stateful: how long the shared-volume scenario takes on a fresh Moor, as a user runs it.
//   node dist/bench/stateful.js [--runs N]
// Measures (1) `kubectl apply` of the static-volume Deployment (3 replicas, one access point)
// until all replicas are Ready, and (2) scale 0 → 3 until Ready. Medians over the runs.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, startMoor } from "../test/harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../test/kubectl.js";
import { createAccessPoint, createFileSystem, createMountTargets } from "../test/stateful/_efs.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);

async function allReady(moor: Awaited<ReturnType<typeof startMoor>>, count: number): Promise<void> {
  await waitFor(`${count} ready writers`, async () => {
    const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app=writer"])).items;
    const ready = pods.filter((pod: any) => pod.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
    return pods.length === count && ready.length === count;
  }, 120_000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const applyTimes: number[] = [];
const scaleTimes: number[] = [];
for (let run = 0; run < runs; run++) {
  const moor = await startMoor();
  try {
    const fileSystemId = await createFileSystem(moor, `bench-${run}`);
    await createMountTargets(moor, fileSystemId);
    const accessPointId = await createAccessPoint(moor, fileSystemId, ["--posix-user", "Uid=1000,Gid=1000", "--root-directory", "Path=/shared,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=775}"]);
    const manifests = readFileSync(join(repoRoot, "examples/static-shared/manifests.yaml"), "utf8").replaceAll("FILE_SYSTEM_ID", fileSystemId).replaceAll("ACCESS_POINT_ID", accessPointId);
    await kubectlOk(moor, ["get", "ns"]); // warm kubectl's discovery cache, as a user's second command would be
    let started = performance.now();
    await kubectlOk(moor, ["apply", "-f", "-"], manifests);
    await allReady(moor, 3);
    applyTimes.push(performance.now() - started);
    await kubectlOk(moor, ["scale", "deployment/writer", "--replicas=0"]);
    await waitFor("no writers", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=writer"])).items.length === 0, 60_000);
    started = performance.now();
    await kubectlOk(moor, ["scale", "deployment/writer", "--replicas=3"]);
    await allReady(moor, 3);
    scaleTimes.push(performance.now() - started);
  } finally {
    await moor.dispose();
  }
}
const format = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`runs: ${runs}`);
console.log(`apply → 3 replicas Ready: median ${format(median(applyTimes))} (all: ${applyTimes.map(format).join(", ")})`);
console.log(`scale 0 → 3 Ready:        median ${format(median(scaleTimes))} (all: ${scaleTimes.map(format).join(", ")})`);
