// The same flows through @kubernetes/client-node: CRUD, list with selectors and paging, watch
// resumed from a revision, every patch type, and optimistic concurrency.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { k8s } from "./_client-node.js";
import type { MoorUnderTest } from "../harness.js";
import { kubeconfigOf, startKubeMoor } from "./_kube.js";

const { ApiException, AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, Watch, setHeaderOptions } = k8s;

describe("@kubernetes/client-node against the Kubernetes API", () => {
  let moor: MoorUnderTest;
  let config: InstanceType<typeof KubeConfig>;
  let core: InstanceType<typeof CoreV1Api>;
  let apps: InstanceType<typeof AppsV1Api>;
  before(async () => {
    moor = await startKubeMoor();
    config = new KubeConfig();
    config.loadFromFile(kubeconfigOf(moor));
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
  });
  after(async () => {
    await moor?.dispose();
  });

  it("creates, reads and lists config maps with label selectors and limit/continue paging", async () => {
    for (let index = 0; index < 5; index++) {
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: `page-${index}`, labels: { group: index % 2 === 0 ? "even" : "odd" } }, data: { index: String(index) } },
      });
    }
    const read = await core.readNamespacedConfigMap({ name: "page-3", namespace: "default" });
    assert.equal(read.data?.index, "3");
    const even = await core.listNamespacedConfigMap({ namespace: "default", labelSelector: "group=even" });
    assert.deepEqual(even.items.map((item) => item.metadata?.name), ["page-0", "page-2", "page-4"]);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: "default", limit: 2, _continue: token, labelSelector: "group" });
      assert.ok(page.items.length <= 2);
      names.push(...page.items.map((item) => item.metadata!.name!));
      token = page.metadata?._continue;
    } while (token);
    assert.deepEqual(names, ["page-0", "page-1", "page-2", "page-3", "page-4"]);
  });

  it("watches from a list's revision, and a watch resumed from an older revision replays what it missed", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    const from = list.metadata!.resourceVersion!;
    const seen: string[] = [];
    const watch = new Watch(config);
    const first = await watch.watch("/api/v1/namespaces/default/configmaps", { resourceVersion: from, allowWatchBookmarks: true }, (type, object) => seen.push(`${type} ${object.metadata.name}`), () => {});
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "watched" }, data: { a: "1" } } });
    await until(() => seen.includes("ADDED watched"));
    first.abort();
    await core.patchNamespacedConfigMap({ name: "watched", namespace: "default", body: { data: { a: "2" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: "watched", namespace: "default" });
    const replayed: string[] = [];
    const second = await watch.watch("/api/v1/namespaces/default/configmaps", { resourceVersion: from }, (type, object) => replayed.push(`${type} ${object.metadata.name}`), () => {});
    await until(() => replayed.length >= 3);
    second.abort();
    assert.deepEqual(replayed, ["ADDED watched", "MODIFIED watched", "DELETED watched"]);
  });

  it("patches a deployment with strategic merge, JSON merge, JSON patch and server-side apply", async () => {
    const manifest = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: "default" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "api" } },
        template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "a", image: "busybox:1" }, { name: "b", image: "busybox:1" }] } },
      },
    };
    await apps.createNamespacedDeployment({ namespace: "default", body: manifest });
    const strategic = await apps.patchNamespacedDeployment(
      { name: "api", namespace: "default", body: { spec: { template: { spec: { containers: [{ name: "b", image: "busybox:2" }] } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`), ["a=busybox:1", "b=busybox:2"]);
    const merged = await apps.patchNamespacedDeployment(
      { name: "api", namespace: "default", body: { spec: { template: { spec: { containers: [{ name: "c", image: "busybox:3" }] } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.spec?.template.spec?.containers.map((c) => c.name), ["c"], "a merge patch replaces lists");
    const jsonPatched = await apps.patchNamespacedDeployment(
      { name: "api", namespace: "default", body: [{ op: "replace", path: "/spec/replicas", value: 4 }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    assert.equal(jsonPatched.spec?.replicas, 4);
    assert.equal(jsonPatched.metadata?.generation, 4);
    const applied = await apps.patchNamespacedDeployment(
      { name: "applied", namespace: "default", fieldManager: "test", body: { ...manifest, metadata: { name: "applied", namespace: "default" } } },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.metadata?.name, "applied");
  });

  it("refuses an update from a stale resourceVersion with 409 Conflict", async () => {
    const current = await core.readNamespacedConfigMap({ name: "page-0", namespace: "default" });
    await core.replaceNamespacedConfigMap({ name: "page-0", namespace: "default", body: { ...current, data: { index: "changed" } } });
    await assert.rejects(
      core.replaceNamespacedConfigMap({ name: "page-0", namespace: "default", body: { ...current, data: { index: "stale" } } }),
      (error: unknown) => error instanceof ApiException && error.code === 409 && /the object has been modified/.test(String(error.body)),
    );
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for watch events");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
