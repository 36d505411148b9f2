import assert from "node:assert/strict";
import { it } from "node:test";
import { jsonPatch, mergePatch, shapeOfKind, strategicMergePatch } from "./mod.js";

const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels: { app: "web", tier: "front" } },
  spec: {
    replicas: 1,
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    template: {
      spec: {
        containers: [
          { name: "a", image: "busybox:1", args: ["x"], ports: [{ containerPort: 80 }, { containerPort: 81 }], env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] },
          { name: "b", image: "busybox:1" },
        ],
        volumes: [{ name: "v", emptyDir: {} }],
      },
    },
  },
});

it("strategicMergePatch() merges containers by name and deletes env entries marked $patch: delete", () => {
  const patch = {
    spec: {
      replicas: 2,
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "a" }, { name: "b" }],
          containers: [{ "$setElementOrder/env": [{ name: "A" }], env: [{ $patch: "delete", name: "B" }], image: "busybox:2", name: "a" }],
        },
      },
    },
  };
  const result: any = strategicMergePatch(deployment(), patch, shapeOfKind("Deployment"));
  assert.equal(result.spec.replicas, 2);
  assert.deepEqual(result.spec.template.spec.containers[0].env, [{ name: "A", value: "1" }]);
  assert.equal(result.spec.template.spec.containers[0].image, "busybox:2");
  assert.deepEqual(result.spec.template.spec.containers[0].args, ["x"]);
  assert.equal(result.spec.template.spec.containers[1].name, "b");
});

it("strategicMergePatch() honours $retainKeys, null deletion, reordering and whole-list replacement", () => {
  const patch = {
    metadata: { labels: { tier: null } },
    spec: {
      strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" },
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "b" }, { name: "a" }],
          "$setElementOrder/volumes": [{ name: "v" }],
          containers: [
            { image: "busybox:2", name: "b" },
            { "$setElementOrder/ports": [{ containerPort: 81 }], args: ["yy"], name: "a", ports: [{ $patch: "delete", containerPort: 80 }] },
          ],
          volumes: [{ $retainKeys: ["hostPath", "name"], emptyDir: null, hostPath: { path: "/tmp" }, name: "v" }],
        },
      },
    },
  };
  const result: any = strategicMergePatch(deployment(), patch, shapeOfKind("Deployment"));
  assert.deepEqual(result.metadata.labels, { app: "web" });
  assert.deepEqual(result.spec.strategy, { type: "Recreate" });
  assert.deepEqual(result.spec.template.spec.containers.map((c: any) => c.name), ["b", "a"]);
  assert.deepEqual(result.spec.template.spec.containers[1].args, ["yy"]);
  assert.deepEqual(result.spec.template.spec.containers[1].ports, [{ containerPort: 81 }]);
  assert.deepEqual(result.spec.template.spec.volumes, [{ name: "v", hostPath: { path: "/tmp" } }]);
  assert.ok(!JSON.stringify(result).includes("$"), "no directive is left in the result");
});

it("strategicMergePatch() merges finalizers as a set and removes values listed in $deleteFromPrimitiveList", () => {
  const target = { kind: "ConfigMap", metadata: { name: "x", finalizers: ["a", "b"] } };
  const added: any = strategicMergePatch(target, { metadata: { finalizers: ["c", "a"] } }, shapeOfKind("ConfigMap"));
  assert.deepEqual(added.metadata.finalizers, ["a", "b", "c"]);
  const removed: any = strategicMergePatch(target, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }, shapeOfKind("ConfigMap"));
  assert.deepEqual(removed.metadata.finalizers, ["b"]);
});

it("mergePatch() replaces lists and deletes keys set to null (RFC 7386)", () => {
  const result: any = mergePatch({ a: { b: 1, c: 2 }, list: [1, 2] }, { a: { b: null, d: 3 }, list: [3] });
  assert.deepEqual(result, { a: { c: 2, d: 3 }, list: [3] });
});

it("jsonPatch() applies add, replace, remove and test, and refuses a failed test with Invalid", () => {
  const result: any = jsonPatch({ spec: { replicas: 1, list: ["a"] } }, [
    { op: "replace", path: "/spec/replicas", value: 3 },
    { op: "add", path: "/spec/list/-", value: "b" },
    { op: "remove", path: "/spec/list/0" },
    { op: "test", path: "/spec/replicas", value: 3 },
  ]);
  assert.deepEqual(result, { spec: { replicas: 3, list: ["b"] } });
  assert.throws(() => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]), (error: any) => error.category === "Invalid");
  assert.throws(() => jsonPatch({ a: 1 }, [{ op: "replace", path: "/missing", value: 2 }]), /does not exist/);
});
