// kubectl port-forward from the host to a pod and to a Service (kubectl picks one of its pods):
// curl on the local port reaches busybox httpd in the pod; a port nothing listens on gets
// kubectl's error line for that connection and the forward keeps serving the others; plain
// SPDY (kubectl's fallback when WebSockets are off) works too.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectl, kubectlOk, waitFor } from "../kubectl.js";
import { readyPods, service, waitReady, webDeployment } from "./_traffic.js";

/** Starts `kubectl port-forward`, returns the local port it prints and the process. */
async function portForward(moor: MoorUnderTest, target: string, remote: string, env: NodeJS.ProcessEnv = {}): Promise<{ port: number; child: ChildProcess; output: () => string }> {
  const cache = mkdtempSync(join(moor.home, "kubecache-"));
  const child = spawn("kubectl", ["port-forward", target, `:${remote}`], { env: { ...moor.env, KUBECACHEDIR: cache, ...env } });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const port = await waitFor(`kubectl port-forward ${target} listening`, () => {
    if (child.exitCode !== null) throw new Error(`kubectl port-forward exited: ${output}`);
    const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
    return match ? Number(match[1]) : undefined;
  }, 30_000);
  return { port, child, output: () => output };
}

describe("kubectl port-forward", () => {
  let moor: MoorUnderTest;
  const children: ChildProcess[] = [];
  before(async () => {
    moor = await startMoor();
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("web", 1));
    await kubectlOk(moor, ["apply", "-f", "-"], service("web", { ports: [{ port: 80, targetPort: "http" }] }));
    await waitReady(moor, "web", 1);
  });
  after(async () => {
    for (const child of children) child.kill();
    await kubectl(moor, ["delete", "deployment,pods", "--all", "--grace-period=1", "--wait=true"]);
    await moor?.dispose();
  });

  it("forwards a local port to a pod's port, for several connections", async () => {
    const [pod] = await readyPods(moor, "web");
    const forward = await portForward(moor, `pod/${pod.metadata.name}`, "8080");
    children.push(forward.child);
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await run("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${forward.port}/`]);
      assert.equal(answer.code, 0, `${answer.stderr}\n${forward.output()}`);
      assert.equal(answer.stdout.trim(), pod.metadata.name);
    }
  });

  it("forwards to a Service through one of its pods, and reports a port nothing listens on", async () => {
    const [pod] = await readyPods(moor, "web");
    const forward = await portForward(moor, "service/web", "80");
    children.push(forward.child);
    assert.match(forward.output(), /-> 8080/);
    const answer = await run("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${forward.port}/`]);
    assert.equal(answer.code, 0, `${answer.stderr}\n${forward.output()}`);
    assert.equal(answer.stdout.trim(), pod.metadata.name);
    const closed = await portForward(moor, `pod/${pod.metadata.name}`, "9999");
    children.push(closed.child);
    const refused = await run("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${closed.port}/`]);
    assert.notEqual(refused.code, 0);
    await waitFor("kubectl reporting the failed connection", () => /error forwarding port 9999/.test(closed.output()), 10_000);
  });

  it("forwards over plain SPDY when kubectl is told not to use WebSockets", async () => {
    const [pod] = await readyPods(moor, "web");
    const forward = await portForward(moor, `pod/${pod.metadata.name}`, "8080", { KUBECTL_PORT_FORWARD_WEBSOCKETS: "false" });
    children.push(forward.child);
    const answer = await run("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${forward.port}/`]);
    assert.equal(answer.code, 0, `${answer.stderr}\n${forward.output()}`);
    assert.equal(answer.stdout.trim(), pod.metadata.name);
  });
});
