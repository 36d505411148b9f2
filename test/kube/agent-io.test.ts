// kubectl against the whole embedded Moor with real pods (the Fargate scheduler places them, the
// node agent runs them in runc sandboxes): wait for Ready, logs and logs -f, exec with stdin, a
// non-zero exit code and a TTY, a rollout with real pods, and delete waiting for the agent.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

// A shell that ends at once on SIGTERM (PID 1 ignores it otherwise, and deletion would wait out the grace period).
const ticker = 'trap "exit 0" TERM; echo hello; echo world; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done';

describe("kubectl with real pods run by the node agent", () => {
  let moor: MoorUnderTest;
  let cache: string;
  before(async () => {
    moor = await startMoor();
    cache = mkdtempSync(join(moor.home, "kubecache-"));
  });
  after(async () => {
    // Sandboxes outlive Moor by design (the next agent adopts them): remove the pods first.
    await kubectl(moor, ["delete", "deployment,pods", "--all", "--grace-period=1", "--wait=true"]);
    await moor?.dispose();
  });

  it("wait --for=condition=Ready returns once the agent reports the pod ready", async () => {
    await kubectlOk(moor, ["run", "web", "--image=busybox", "--restart=Never", "--", "sh", "-c", ticker]);
    const waited = await kubectl(moor, ["wait", "--for=condition=Ready", "pod/web", "--timeout=90s"]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stdout, /pod\/web condition met/);
    assert.match(await kubectlOk(moor, ["get", "pod", "web", "-o", "wide"]), /web +1\/1 +Running +0 +\S+ +10\.42\.\d+\.\d+ +fargate-ip-/);
  });

  it("logs prints what the container wrote, and logs -f keeps streaming", async () => {
    const logs = await kubectlOk(moor, ["logs", "web"]);
    assert.match(logs, /^hello\nworld\ntick 1\n/);
    const child = spawn("kubectl", ["logs", "-f", "web", "--tail=1"], { env: { ...moor.env, KUBECACHEDIR: cache } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    try {
      await waitFor("new lines from logs -f", () => (output.match(/tick \d+/g) ?? []).length >= 3, 30_000);
    } finally {
      child.kill();
    }
  });

  it("exec passes stdin, returns the command's exit code, and runs with a TTY", async () => {
    const echoed = await kubectl(moor, ["exec", "-i", "web", "--", "cat"], "through stdin\n");
    assert.equal(echoed.code, 0, echoed.stderr);
    assert.equal(echoed.stdout, "through stdin\n");
    const failed = await kubectl(moor, ["exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, "out\n");
    assert.match(failed.stderr, /err\n/);
    assert.match(failed.stderr, /command terminated with exit code 3/);
    const tty = await run("script", ["-qec", "kubectl exec -it web -- sh -c 'tty; exit 5'", "/dev/null"], { env: { ...moor.env, KUBECACHEDIR: cache } });
    assert.equal(tty.code, 5, tty.stdout);
    assert.match(tty.stdout, /\/dev\/pts\/\d+/);
  });

  it("describe shows the agent's events for the pod", async () => {
    const text = await kubectlOk(moor, ["describe", "pod", "web"]);
    assert.match(text, /Normal +Scheduled/);
    assert.match(text, /Normal +Started/);
  });

  it("a deployment rolls out with real pods, and a changed template rolls again", async () => {
    await kubectlOk(moor, ["create", "deployment", "app", "--image=busybox", "--replicas=2", "--", "sh", "-c", 'trap "exit 0" TERM; while true; do sleep 0.2; done']);
    const first = await kubectl(moor, ["rollout", "status", "deployment/app", "--timeout=120s"]);
    assert.equal(first.code, 0, first.stderr);
    await kubectlOk(moor, ["set", "env", "deployment/app", "ROUND=2"]);
    const second = await kubectl(moor, ["rollout", "status", "deployment/app", "--timeout=120s"]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /deployment "app" successfully rolled out/);
    await waitFor("the old pods to go", async () => {
      const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app=app"])).items;
      return pods.length === 2 && pods.every((pod: any) => pod.spec.containers[0].env?.[0]?.value === "2");
    }, 60_000);
    const history = await kubectlOk(moor, ["rollout", "history", "deployment/app"]);
    assert.match(history, /^1 /m);
    assert.match(history, /^2 /m);
  });

  it("delete waits until the agent has stopped the pod and removed it", async () => {
    const deleted = await kubectl(moor, ["delete", "pod", "web"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const missing = await kubectl(moor, ["get", "pod", "web"]);
    assert.match(missing.stderr, /pods "web" not found/);
  });
});
