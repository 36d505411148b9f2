import assert from "node:assert/strict";
import { it } from "node:test";
import { fieldTree, removeDropped, shapeOfKind, strategicMergePatch } from "./mod.js";

const shape = shapeOfKind("Deployment");
const config = (env: string[], labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { template: { spec: { containers: [{ name: "main", image: "busybox", env: env.map((name) => ({ name, value: "1" })) }] } } },
});

it("fieldTree() names fields as FieldsV1 does, list entries by their merge key", () => {
  const tree = fieldTree(config(["A"], { app: "web" }), shape);
  assert.deepEqual(tree, {
    "f:metadata": { "f:labels": { "f:app": {} } },
    "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"main"}': { ".": {}, "f:name": {}, "f:image": {}, "f:env": { 'k:{"name":"A"}': { ".": {}, "f:name": {}, "f:value": {} } } } } } } },
  });
});

it("removeDropped() removes what an applier stopped applying, but not what another applier owns", () => {
  const first = config(["A", "B"], { app: "web", tier: "front" });
  const second = config(["A"], { app: "web" });
  const live: any = strategicMergePatch({ metadata: { name: "d", labels: { other: "x" } } }, first, shape);
  const merged = strategicMergePatch(live, second, shape);
  const pruned: any = removeDropped(merged, fieldTree(first, shape), fieldTree(second, shape), []);
  assert.deepEqual(pruned.metadata.labels, { other: "x", app: "web" });
  assert.deepEqual(pruned.spec.template.spec.containers[0].env.map((item: any) => item.name), ["A"]);
  const kept: any = removeDropped(merged, fieldTree(first, shape), fieldTree(second, shape), [fieldTree(config(["B"], { tier: "front" }), shape)]);
  assert.deepEqual(kept.metadata.labels, { other: "x", app: "web", tier: "front" });
  assert.deepEqual(kept.spec.template.spec.containers[0].env.map((item: any) => item.name), ["A", "B"]);
});
