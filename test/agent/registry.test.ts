import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { containerStatus, logsOf, startAgent, type AgentUnderTest } from "./_harness.js";
import { startRegistry, type TestRegistry } from "./_registry.js";

describe("node agent: pulls from an OCI distribution registry with token auth", () => {
  let moor: AgentUnderTest;
  let registry: TestRegistry;
  let work: string;
  let manifestDigest: string;
  let nextIp = 220;
  const node = () => moor.fargateNode(`10.42.0.${nextIp++}`).metadata.name;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "moor-registry-"));
    registry = await startRegistry(work, { name: "puller", password: "pull-me" });
    const root = join(work, "layer");
    mkdirSync(join(root, "bin"), { recursive: true });
    copyFileSync("/bin/busybox", join(root, "bin/busybox"));
    symlinkSync("busybox", join(root, "bin/sh"));
    const layer = execFileSync("tar", ["-C", root, "-cf", "-", "."], { maxBuffer: 64 << 20 });
    const config = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Env: ["PATH=/bin"], Cmd: ["sh", "-c", "echo pulled from the registry"] },
      rootfs: { type: "layers", diff_ids: [`sha256:${createHash("sha256").update(layer).digest("hex")}`] },
    });
    manifestDigest = await registry.push("team/app", "v1", config, [gzipSync(layer)]);
    moor = await startAgent();
    const auth = Buffer.from("puller:pull-me").toString("base64");
    const dockerConfig = JSON.stringify({ auths: { [registry.host]: { auth } } });
    moor.store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "pull", namespace: "default" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from(dockerConfig).toString("base64") } });
  });
  after(async () => {
    await moor?.dispose();
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("pulls an image with the pod's pull secret and runs it", async () => {
    const image = `${registry.host}/team/app:v1`;
    moor.createPod("pulled", node(), { restartPolicy: "Never", imagePullSecrets: [{ name: "pull" }], containers: [{ name: "main", image }] });
    const pod = await moor.waitFor("the pod to finish", () => moor.pod("pulled")?.status?.phase === "Succeeded" && moor.pod("pulled"));
    assert.equal(await logsOf(moor, "pulled"), "pulled from the registry\n");
    assert.equal(containerStatus(pod, "main").imageID, `${registry.host}/team/app@${manifestDigest}`);
    const reasons = moor.events("pulled").map((event) => event.reason);
    assert.ok(reasons.includes("Pulling") && reasons.includes("Pulled"), reasons.join(" "));
  });

  it("fails the pull without credentials (ErrImagePull), and refuses an absent image under imagePullPolicy Never (ErrImageNeverPull)", async () => {
    moor.createPod("denied", node(), { containers: [{ name: "main", image: `${registry.host}/team/other:v1` }] });
    const denied = await moor.waitFor("ErrImagePull", () => containerStatus(moor.pod("denied"), "main")?.state.waiting?.reason === "ErrImagePull" && moor.pod("denied"));
    assert.match(containerStatus(denied, "main").state.waiting.message, /^pull access denied for 127\.0\.0\.1:\d+\/team\/other/);
    moor.createPod("never", node(), { containers: [{ name: "main", image: `${registry.host}/team/absent:v1`, imagePullPolicy: "Never" }] });
    const never = await moor.waitFor("the refusal", () => containerStatus(moor.pod("never"), "main")?.state.waiting?.reason === "ErrImageNeverPull" && moor.pod("never"));
    assert.equal(containerStatus(never, "main").state.waiting.message, `Container image "${registry.host}/team/absent:v1" is not present with pull policy of Never`);
  });
});
