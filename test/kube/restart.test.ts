// A restart of Moor with a deployment running: afterwards the same objects and pods (names and
// uids) are there, still running, and a watch resumes from a revision taken before the restart.

import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { apiAccess } from "./_kube.js";

describe("restarting Moor with a deployment running", () => {
  let moor: MoorUnderTest;
  before(async () => {
    moor = await startMoor();
  });
  after(async () => {
    await kubectl(moor, ["delete", "deployment,pods", "--all", "--grace-period=1", "--wait=true"]);
    await moor?.dispose();
  });

  it("keeps objects and pods, and resumes a watch from a revision taken before the restart", async () => {
    await kubectlOk(moor, ["create", "deployment", "keep", "--image=busybox", "--replicas=2", "--", "sh", "-c", 'trap "exit 0" TERM; while true; do sleep 0.2; done']);
    const rolled = await kubectl(moor, ["rollout", "status", "deployment/keep", "--timeout=120s"]);
    assert.equal(rolled.code, 0, rolled.stderr);
    const before = await kubectlJson(moor, ["get", "deployment,replicaset,pods"]);
    const identity = (list: any) => list.items.map((item: any) => `${item.kind}/${item.metadata.name}/${item.metadata.uid}`).sort();
    // The raw list (kubectl's own output wraps lists in a List without a revision).
    const revision = JSON.parse(await kubectlOk(moor, ["get", "--raw", "/api/v1/namespaces/default/configmaps"])).metadata.resourceVersion;
    assert.match(revision, /^\d+$/);
    await kubectlOk(moor, ["create", "configmap", "written-before-restart", "--from-literal=a=b"]);

    await moor.stop();
    await moor.start();

    const afterRestart = await kubectlJson(moor, ["get", "deployment,replicaset,pods"]);
    assert.deepEqual(identity(afterRestart), identity(before));
    await waitFor("the pods running again", async () => {
      const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app=keep"])).items;
      return pods.length === 2 && pods.every((pod: any) => pod.status.phase === "Running");
    }, 60_000);
    const rolledAgain = await kubectl(moor, ["rollout", "status", "deployment/keep", "--timeout=60s"]);
    assert.equal(rolledAgain.code, 0, rolledAgain.stderr);

    await kubectlOk(moor, ["create", "configmap", "written-after-restart", "--from-literal=a=b"]);
    const events = await watchEvents(moor, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${revision}`, 2);
    assert.deepEqual(events.map((event) => `${event.type} ${event.object.metadata.name}`), ["ADDED written-before-restart", "ADDED written-after-restart"]);
  });
});

function watchEvents(moor: MoorUnderTest, path: string, count: number): Promise<any[]> {
  const access = apiAccess(moor);
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    let buffered = "";
    const req = request(new URL(path, access.server), { ca: access.ca, headers: { Authorization: `Bearer ${access.token}` } }, (res) => {
      res.on("data", (chunk) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          events.push(JSON.parse(buffered.slice(0, newline)));
          buffered = buffered.slice(newline + 1);
        }
        if (events.length >= count) {
          req.destroy();
          resolve(events);
        }
      });
    });
    req.on("error", (error) => (events.length >= count ? undefined : reject(error)));
    req.setTimeout(30_000, () => req.destroy(new Error("Timed out waiting for watch events")));
    req.end();
  });
}
