// Cluster DNS is data plane: it outlives Moor (DESIGN decision 14). With a pod running, `moor`
// stops and the server in the VPC namespace goes on answering; the next Moor replaces it.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectlOk, waitFor } from "../kubectl.js";
import { answeredAddresses, readyPod } from "./_cluster.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

/** nslookup from the VPC namespace itself (the host's busybox), at the resolver address. */
async function lookupInVpc(name: string): Promise<{ code: number; output: string }> {
  const namespace = `moor-vpc-${createHash("sha256").update(moor.home).digest("hex").slice(0, 8)}`;
  const result = await run("ip", ["netns", "exec", namespace, "busybox", "nslookup", name, "10.42.0.2"], { timeoutMs: 10_000 });
  return { code: result.code, output: result.stdout + result.stderr };
}

it("answers while Moor is down and pods still run, and the next Moor takes over", async () => {
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "keeper" }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"] }] } }));
  const ip = (await readyPod(moor, "keeper")).status.podIP as string;
  const podName = `${ip.replaceAll(".", "-")}.default.pod.cluster.local`;
  await waitFor("the pod's name to resolve", async () => (await lookupInVpc(podName)).code === 0, 10_000);
  const pidFile = join(moor.home, "dns.pid");
  const first = readFileSync(pidFile, "utf8").trim();

  await moor.stop();
  const whileDown = await lookupInVpc(podName);
  assert.deepEqual(answeredAddresses(whileDown.output), [ip], whileDown.output);
  assert.ok(existsSync(`/proc/${first}`), "the daemon outlived Moor");

  await moor.start();
  await waitFor("a new daemon", () => readFileSync(pidFile, "utf8").trim() !== first, 10_000);
  await waitFor("the old daemon to end", () => !existsSync(`/proc/${first}`), 5_000);
  const again = await lookupInVpc(podName);
  assert.deepEqual(answeredAddresses(again.output), [ip], again.output);
});
