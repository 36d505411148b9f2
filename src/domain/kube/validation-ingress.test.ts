import assert from "node:assert/strict";
import { it } from "node:test";
import { resourceForKind, validateCreate } from "./mod.js";

const ingress = (spec: any, annotations: Record<string, string> = {}) => ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "default", annotations }, spec });
const path = (extra: any) => ({ rules: [{ http: { paths: [{ path: "/", backend: { service: { name: "web", port: { number: 80 } } }, ...extra }] } }] });
const create = (object: any) => validateCreate(resourceForKind("Ingress")!, object);

it("validateCreate() takes an Ingress with a typed path, or only a default backend", () => {
  create(ingress(path({ pathType: "Prefix" })));
  create(ingress({ defaultBackend: { service: { name: "web", port: { name: "http" } } } }));
});

it("validateCreate() refuses an Ingress path without pathType, as networking.k8s.io/v1 requires one", () => {
  assert.throws(() => create(ingress(path({}))), /spec\.rules\[0\]\.http\.paths\[0\]\.pathType: Required value: pathType must be specified/);
  assert.throws(() => create(ingress(path({ pathType: "Regex" }))), /pathType: Unsupported value: "Regex"/);
});

it("validateCreate() refuses an Ingress with neither rules nor default backend, or a port both named and numbered", () => {
  assert.throws(() => create(ingress({})), /either `defaultBackend` or `rules` must be specified/);
  assert.throws(() => create(ingress({ defaultBackend: { service: { name: "web", port: { number: 80, name: "http" } } } })), /cannot set both port name & port number/);
});

it("validateCreate() refuses a class annotation that names another class than ingressClassName", () => {
  create(ingress({ ...path({ pathType: "Prefix" }), ingressClassName: "alb" }, { "kubernetes.io/ingress.class": "alb" }));
  assert.throws(() => create(ingress({ ...path({ pathType: "Prefix" }), ingressClassName: "alb" }, { "kubernetes.io/ingress.class": "nginx" })), /kubernetes\.io\/ingress\.class/);
});
