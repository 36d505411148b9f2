import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unavailable } from "../../src/errors/mod.js";
import type { VolumeMountRequest } from "../../src/agent/mod.js";
import { busybox, containerStatus, execIn, logsOf, ready, startAgent, type AgentUnderTest } from "./_harness.js";

describe("node agent: volumes", () => {
  let moor: AgentUnderTest;
  let nextIp = 150;
  const node = () => moor.fargateNode(`10.42.0.${nextIp++}`).metadata.name;
  const exported = mkdtempSync(join(tmpdir(), "moor-volume-"));
  const requests: VolumeMountRequest[] = [];
  let released = 0;
  let failuresLeft = 2;
  before(async () => {
    // The fake mount engine: a shared mount point (as the FUSE mounts' parent is), failing at first.
    execFileSync("mount", ["--bind", exported, exported]);
    execFileSync("mount", ["--make-shared", exported]);
    writeFileSync(join(exported, "from-engine"), "engine data\n");
    moor = await startAgent({
      volumes: {
        async mount(request) {
          requests.push(request);
          if (failuresLeft-- > 0) throw unavailable(`Cannot mount file system "fs-1": no mount target in zone "${request.zone}"`);
          return { hostPath: exported, release: async () => void released++ };
        },
      },
    });
  });
  after(async () => {
    await moor?.dispose();
    execFileSync("umount", ["-R", exported]);
    rmSync(exported, { recursive: true, force: true });
  });

  it("projects config maps, secrets and the downward API as read-only files, with subPath", async () => {
    moor.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "site", namespace: "default" }, data: { "index.html": "<h1>hi</h1>", "app.conf": "x=1" } });
    moor.store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "tls", namespace: "default" }, data: { "tls.key": Buffer.from("KEY").toString("base64") } });
    moor.createPod("projected", node(), { restartPolicy: "Never", volumes: [
      { name: "site", configMap: { name: "site", items: [{ key: "index.html", path: "pages/index.html" }] } },
      { name: "tls", secret: { secretName: "tls", defaultMode: 0o400 } },
      { name: "info", downwardAPI: { items: [{ path: "name", fieldRef: { fieldPath: "metadata.name" } }, { path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
      { name: "all", projected: { sources: [{ configMap: { name: "site", items: [{ key: "app.conf", path: "app.conf" }] } }, { secret: { name: "tls" } }] } },
      { name: "scratch", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    ], containers: [{
      name: "main",
      ...busybox,
      command: ["sh", "-c", [
        "cat /site/pages/index.html; echo",
        "cat /tls/tls.key; echo; stat -c %a /tls/tls.key",
        "cat /info/name; echo; cat /info/labels; echo",
        "cat /all/app.conf; echo; cat /all/tls.key; echo",
        "cat /conf/app.conf; echo",
        "touch /site/new 2>/dev/null || echo site-read-only",
        "dd if=/dev/zero of=/scratch/big bs=1k count=2048 2>/dev/null || echo scratch-full",
        "df -k /scratch | tail -1 | awk '{print $2}'",
      ].join("; ")],
      volumeMounts: [
        { name: "site", mountPath: "/site" },
        { name: "tls", mountPath: "/tls" },
        { name: "info", mountPath: "/info" },
        { name: "all", mountPath: "/all" },
        { name: "all", mountPath: "/conf/app.conf", subPath: "app.conf" },
        { name: "scratch", mountPath: "/scratch" },
      ],
    }] }, { labels: { app: "demo" } });
    await moor.waitFor("the pod to finish", () => moor.pod("projected")?.status?.phase === "Succeeded");
    assert.equal(await logsOf(moor, "projected"), [
      "<h1>hi</h1>", "KEY", "400", "projected", 'app="demo"', "x=1", "KEY", "x=1", "site-read-only", "scratch-full", "1024", "",
    ].join("\n"));
  });

  it("keeps a pod in ContainerCreating with FailedMount while the mount engine fails, then starts it", async () => {
    mkdirSync(join(exported, "live"), { recursive: true });
    moor.store.create({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv-1" }, spec: { csi: { driver: "efs.csi.aws.com", volumeHandle: "fs-1" } } });
    moor.store.create({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "shared", namespace: "default" }, spec: { volumeName: "pv-1" } });
    moor.createPod("mounted", node(), {
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: "shared" } }],
      containers: [{ name: "main", ...busybox, command: ["sleep", "3600"], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
    });
    const waiting = await moor.waitFor("a FailedMount", () => moor.events("mounted").find((event) => event.reason === "FailedMount") && moor.pod("mounted"));
    assert.equal(containerStatus(waiting, "main").state.waiting.reason, "ContainerCreating");
    const event = moor.events("mounted").find((entry) => entry.reason === "FailedMount")!;
    assert.equal(event.type, "Warning");
    assert.equal(event.message, 'MountVolume.SetUp failed for volume "data" : Cannot mount file system "fs-1": no mount target in zone "us-east-1a"');
    await ready(moor, "mounted");
    const request = requests.at(-1)!;
    assert.equal(request.claim?.metadata.name, "shared");
    assert.equal(request.pv?.metadata.name, "pv-1");
    assert.equal(request.zone, "us-east-1a");
    assert.equal((await execIn(moor, "mounted", ["cat", "/data/from-engine"])).stdout, "engine data\n");
    // A mount made on the host under the volume later (a repaired FUSE mount) reaches the container.
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", join(exported, "live")]);
    writeFileSync(join(exported, "live", "after"), "remounted\n");
    assert.equal((await execIn(moor, "mounted", ["cat", "/data/live/after"])).stdout, "remounted\n");
    moor.deletePod("mounted", 0);
    await moor.waitFor("the pod to go", () => !moor.pod("mounted"));
    assert.equal(released, 1);
  });
});
