import assert from "node:assert/strict";
import { it } from "node:test";
import {
  applyDefaults,
  decodeAgainstShape,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  resourceForKind,
  selectorString,
  validateCreate,
  validateUpdate,
} from "./mod.js";

function deployment(replicas: number): any {
  const object: any = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
  };
  applyDefaults(object);
  return object;
}

function invalidMessage(run: () => void): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an Invalid error");
}

it("validateCreate() refuses negative replicas with upstream's message", () => {
  const message = invalidMessage(() => validateCreate(resourceForKind("Deployment")!, deployment(-1)));
  assert.equal(message, 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
});

it("validateCreate() refuses names that are not DNS subdomains and lists every problem", () => {
  const pod: any = { apiVersion: "v1", kind: "Pod", metadata: { name: "Bad_Name" }, spec: { containers: [{ name: "c" }] } };
  const message = invalidMessage(() => validateCreate(resourceForKind("Pod")!, pod));
  assert.match(message, /^Pod "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
  assert.match(message, /spec\.containers\[0\]\.image: Required value\]$/);
});

it("validateUpdate() keeps a Deployment's selector immutable", () => {
  const old = deployment(1);
  const changed = structuredClone(old);
  changed.spec.selector = { matchLabels: { app: "other" } };
  changed.spec.template.metadata.labels = { app: "other" };
  const message = invalidMessage(() => validateUpdate(resourceForKind("Deployment")!, changed, old));
  assert.match(message, /spec\.selector: Invalid value: .*: field is immutable/);
});

it("validateCreate() requires a Job's restartPolicy to be OnFailure or Never", () => {
  const job: any = {
    kind: "Job",
    metadata: { name: "j" },
    spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { restartPolicy: "Always", containers: [{ name: "c", image: "i" }] } } },
  };
  const message = invalidMessage(() => validateCreate(resourceForKind("Job")!, job));
  assert.match(message, /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/);
});

it("decodeAgainstShape() prunes and reports unknown fields and reports values of the wrong type", () => {
  const object: any = deployment(1);
  object.spec.foo = 1;
  object.spec.template.spec.containers[0].bogus = true;
  object.spec.replicas = "3";
  const problems = decodeAgainstShape("Deployment", object);
  assert.deepEqual([...problems.unknown].sort(), ["spec.foo", "spec.template.spec.containers[0].bogus"]);
  assert.equal(problems.types[0], "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
  assert.equal(object.spec.foo, undefined);
});

it("parseLabelSelector() understands equality, set and existence terms", () => {
  const requirements = parseLabelSelector("app=web,tier!=db,env in (a,b),!legacy,track");
  assert.equal(matchesRequirements(requirements, { app: "web", env: "a", track: "x" }), true);
  assert.equal(matchesRequirements(requirements, { app: "web", env: "c", track: "x" }), false);
  assert.equal(matchesRequirements(requirements, { app: "web", env: "a", track: "x", legacy: "1" }), false);
  assert.throws(() => parseLabelSelector("app==="), (error: any) => error.code === "BadRequest");
  assert.throws(() => parseLabelSelector("app=-bad-"), /unable to parse requirement/);
});

it("parseFieldSelector() keeps empty values, as describe sends for cluster-scoped objects", () => {
  assert.deepEqual(parseFieldSelector("involvedObject.name=x,involvedObject.namespace="), [
    { field: "involvedObject.name", operator: "=", value: "x" },
    { field: "involvedObject.namespace", operator: "=", value: "" },
  ]);
});

it("selectorString() prints a LabelSelector as kubectl shows it", () => {
  assert.equal(selectorString({ matchLabels: { tier: "a", app: "web" }, matchExpressions: [{ key: "env", operator: "In", values: ["b", "a"] }] }), "app=web,env in (a,b),tier=a");
});

it("applyDefaults() folds a Secret's stringData into base64 data, as upstream stores it", () => {
  const secret: any = { kind: "Secret", metadata: { name: "s" }, data: { kept: "YQ==" }, stringData: { password: "pässword" } };
  applyDefaults(secret);
  assert.deepEqual(secret.data, { kept: "YQ==", password: Buffer.from("pässword").toString("base64") });
  assert.equal(secret.stringData, undefined);
  assert.equal(secret.type, "Opaque");
});

it("validateCreate() lets a StatefulSet's containers mount the volumes its claim templates add", () => {
  const set: any = {
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      selector: { matchLabels: { app: "db" } },
      template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "c", image: "i", volumeMounts: [{ name: "data", mountPath: "/data" }] }] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } } }],
    },
  };
  validateCreate(resourceForKind("StatefulSet")!, set);
  set.spec.template.spec.containers[0].volumeMounts[0].name = "missing";
  assert.match(invalidMessage(() => validateCreate(resourceForKind("StatefulSet")!, set)), /volumeMounts\[0\]\.name: Not found: "missing"/);
});
