import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { busybox, logsOf, readAll, startAgent, type AgentUnderTest } from "./_harness.js";

describe("node agent: container logs", () => {
  let moor: AgentUnderTest;
  let nextIp = 240;
  const node = () => moor.fargateNode(`10.42.0.${nextIp++}`).metadata.name;
  before(async () => {
    moor = await startAgent({ logs: { maxBytes: 2048, files: 3 } });
  });
  after(async () => {
    await moor?.dispose();
  });

  it("rotates a container's log at its size bound, keeps the newest files, and reads across them", async () => {
    moor.createPod("chatty", node(), { restartPolicy: "Never", containers: [{ name: "main", ...busybox, command: ["sh", "-c", "for i in $(seq 100 299); do echo line $i; done"] }] });
    await moor.waitFor("the pod to finish", () => moor.pod("chatty")?.status?.phase === "Succeeded");
    const directory = join(moor.home, "pods", moor.pod("chatty")!.metadata.uid!, "logs", "main");
    const files = readdirSync(directory).sort();
    assert.deepEqual(files, ["0.log", "0.log.1", "0.log.2"]);
    for (const file of files) assert.ok(statSync(join(directory, file)).size <= 2048, file);
    const lines = (await logsOf(moor, "chatty")).trim().split("\n");
    assert.equal(lines.at(-1), "line 299");
    assert.ok(lines.length > 40 && lines.length < 200, String(lines.length));
    const first = Number(lines[0]!.split(" ")[1]);
    assert.deepEqual(lines, lines.map((_, index) => `line ${first + index}`));
    assert.equal(await logsOf(moor, "chatty", { tailLines: 2 }), "line 298\nline 299\n");
    assert.equal(await logsOf(moor, "chatty", { tailLines: 2, limitBytes: 12 }), "line 298\nlin");
  });

  it("follows a log until the container ends", async () => {
    moor.createPod("follower", node(), { restartPolicy: "Never", containers: [{ name: "main", ...busybox, command: ["sh", "-c", "echo first; sleep 1; echo second >&2; sleep 0.5; printf 'no newline'"] }] });
    await moor.waitFor("the pod to run", () => moor.pod("follower")?.status?.phase === "Running");
    const stream = await moor.agent.io.logs({ namespace: "default", name: "follower" }, "main", { follow: true });
    assert.equal(await readAll(stream), "first\nsecond\nno newline\n");
    await moor.waitFor("the pod to finish", () => moor.pod("follower")?.status?.phase === "Succeeded");
  });

  it("names the containers when a pod has several and none is given", async () => {
    moor.createPod("pair", node(), { containers: [{ name: "a", ...busybox, command: ["sleep", "3600"] }, { name: "b", ...busybox, command: ["sleep", "3600"] }] });
    await assert.rejects(moor.agent.io.logs({ namespace: "default", name: "pair" }, undefined, {}), { message: "a container name must be specified for pod pair, choose one of: [a b]" });
    await assert.rejects(moor.agent.io.logs({ namespace: "default", name: "absent" }, undefined, {}), { message: 'pods "absent" not found' });
  });
});
