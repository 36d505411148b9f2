// The log and exec subresources with real kubectl against an in-process API whose PodIO port is
// a fake (the node agent's real one is tested in agent-io.test.ts), and watch expiry past the
// bounded history (410 Gone), which needs a store with a short history.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { ExecSession, PodIO } from "../../src/agent/mod.js";
import { loadConfig, paths } from "../../src/config/mod.js";
import { createKubeApi, type KubeApi } from "../../src/frontends/kube/mod.js";
import { createEfsService } from "../../src/services/efs/mod.js";
import { createEksService } from "../../src/services/eks/mod.js";
import { createMemoryStore, type Store } from "../../src/store/mod.js";
import { run } from "../harness.js";

const fakeIO: PodIO = {
  async logs(_pod, container, options) {
    const lines = [`first line of ${container}\n`, "second line\n", "third line\n"];
    return Readable.from(options.tailLines !== undefined ? lines.slice(-options.tailLines) : lines);
  },
  async exec(_pod, _container, command, options) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    let finish!: (result: { code: number }) => void;
    const exit = new Promise<{ code: number }>((resolve) => (finish = resolve));
    if (command[0] === "cat" && options.stdin) {
      stdin.pipe(stdout);
      stdin.on("end", () => finish({ code: 0 }));
    } else {
      stdout.end(`ran ${command.join(" ")}\n`);
      stderr.end("to stderr\n");
      setImmediate(() => finish({ code: command[0] === "fail" ? 3 : 0 }));
    }
    stdout.on("end", () => stderr.end());
    const session: ExecSession = { stdin, stdout, stderr, resize: () => {}, exit };
    return session;
  },
};

describe("logs, exec and watch expiry through an in-process API", () => {
  const home = mkdtempSync(join(tmpdir(), "moor-kube-io-"));
  const cache = mkdtempSync(join(tmpdir(), "moor-kubecache-"));
  let store: Store;
  let api: KubeApi;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const config = loadConfig({ MOOR_HOME: home, MOOR_KUBE_PORT: "0", MOOR_AWS_PORT: "0" });
    store = createMemoryStore({ historyMax: 16 });
    const services = { efs: createEfsService({ store, region: config.region, accountId: config.accountId }), eks: createEksService({ store, region: config.region, accountId: config.accountId }) };
    api = createKubeApi({ store, config, ...services, podIO: () => fakeIO });
    await api.start();
    env = { ...process.env, KUBECONFIG: paths(config).kubeconfig, KUBECACHEDIR: cache };
    store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "app", namespace: "default" },
      spec: { nodeName: "somewhere", containers: [{ name: "main", image: "busybox" }] },
      status: { phase: "Running", containerStatuses: [{ name: "main", ready: true, state: { running: {} } }] },
    });
  });
  after(async () => {
    await api.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it("kubectl logs prints the container's log, and --tail asks for the last lines", async () => {
    const all = await run("kubectl", ["logs", "app"], { env });
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, "first line of main\nsecond line\nthird line\n");
    const tail = await run("kubectl", ["logs", "app", "--tail=1"], { env });
    assert.equal(tail.stdout, "third line\n");
  });

  it("kubectl exec passes stdin through and reports a non-zero exit code", async () => {
    const echoed = await run("kubectl", ["exec", "-i", "app", "--", "cat"], { env, input: "hello from stdin\n" });
    assert.equal(echoed.code, 0, echoed.stderr);
    assert.equal(echoed.stdout, "hello from stdin\n");
    const failed = await run("kubectl", ["exec", "app", "--", "fail", "now"], { env });
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, "ran fail now\n");
    assert.match(failed.stderr, /to stderr/);
    assert.match(failed.stderr, /command terminated with exit code 3/);
  });

  it("kubectl logs of a container that has not started is refused as upstream does", async () => {
    store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "waiting", namespace: "default" }, spec: { containers: [{ name: "main", image: "busybox" }] }, status: { phase: "Pending" } });
    const result = await run("kubectl", ["logs", "waiting"], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /container "main" in pod "waiting" is waiting to start: ContainerCreating/);
  });

  it("a watch with a label selector sends DELETED when an object stops matching", async () => {
    const created = store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "selected", namespace: "default", labels: { tier: "a" } } });
    const events = watchEvents(api.port(), home, "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=tier%3Da", 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    store.update({ ...created, metadata: { ...created.metadata, labels: { tier: "b" } } });
    assert.deepEqual((await events).map((event) => `${event.type} ${event.object.metadata.name}`), ["ADDED selected", "DELETED selected"]);
  });

  it("a watch from a revision older than the kept history gets a 410 Expired event", async () => {
    for (let index = 0; index < 300; index++) store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `filler-${index}`, namespace: "default" } });
    assert.ok(store.oldestRevision() > 2);
    const event = await firstWatchEvent(api.port(), home, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1");
    assert.equal(event.type, "ERROR");
    assert.equal(event.object.code, 410);
    assert.equal(event.object.reason, "Expired");
  });
});

async function firstWatchEvent(port: number, home: string, path: string): Promise<any> {
  return (await watchEvents(port, home, path, 1))[0];
}

async function watchEvents(port: number, home: string, path: string, count: number): Promise<any[]> {
  const { readFileSync } = await import("node:fs");
  const ca = readFileSync(join(home, "kube", "ca.crt"));
  const token = readFileSync(join(home, "kube", "token"), "utf8").trim();
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${port}${path}`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      const events: any[] = [];
      res.on("data", (chunk) => {
        text += chunk;
        let newline: number;
        while ((newline = text.indexOf("\n")) >= 0) {
          events.push(JSON.parse(text.slice(0, newline)));
          text = text.slice(newline + 1);
        }
        if (events.length >= count) {
          resolve(events);
          req.destroy();
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}
