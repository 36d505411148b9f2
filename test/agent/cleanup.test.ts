import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readMountsSync } from "../../src/engines/hostmounts/mod.js";
import { startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { startAgent, type AgentUnderTest } from "./_harness.js";

const mountsUnder = (root: string) => readMountsSync().filter((entry) => entry.mountPoint.startsWith(root));
const namespacesOf = (digest: string) => readdirSync("/run/netns").filter((name) => name.includes(digest));
const processesUnder = (root: string) =>
  readdirSync("/proc").filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(root);
    } catch {
      return false;
    }
  });

describe("node agent: what a deleted data directory leaves behind", () => {
  let later: AgentUnderTest | undefined;
  after(async () => {
    await later?.dispose();
  });

  it("stops its containers and, at the next agent's start, loses its namespaces, mounts and cgroups", async () => {
    const moor = await startMoor();
    const home = moor.home;
    const digest = createHash("sha256").update(home).digest("hex").slice(0, 8);
    await kubectlOk(moor, ["run", "left", "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "3600"]);
    await waitFor("the pod to run", async () => (await kubectlJson(moor, ["get", "pod", "left"])).status?.phase === "Running", 30_000);
    await moor.stop();
    // As a test harness does: Moor stopped with a pod running, its directory removed.
    spawnSync("rm", ["-rf", home], { stdio: "ignore" });
    assert.ok(mountsUnder(join(home, "pods")).length > 0, "the pod's mounts are still there");
    await waitFor("the container and its monitor to go", () => processesUnder(home).length === 0, 10_000);
    later = await startAgent();
    assert.deepEqual(namespacesOf(digest), []);
    assert.deepEqual(mountsUnder(join(home, "pods")), []);
    assert.equal(existsSync(`/sys/fs/cgroup/memory/moor-${digest}`), false);
    spawnSync("rm", ["-rf", home], { stdio: "ignore" });
  });
});
