import assert from "node:assert/strict";
import { it } from "node:test";
import type { Store } from "../../store/mod.js";
import { setup } from "./_testing.js";

function podWith(store: Store, name: string, ip: string, ready: boolean, port = 8080) {
  return store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: "web" } },
    spec: { nodeName: "n1", containers: [{ name: "c", image: "i", ports: [{ name: "http", containerPort: port }] }] },
    status: { phase: "Running", podIP: ip, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  });
}

const slicesOf = (store: Store) => store.list("EndpointSlice", { namespace: "default" }).items.filter((slice) => slice.metadata.labels?.["kubernetes.io/service-name"] === "web");

it("a service's EndpointSlice lists each pod with its conditions and follows readiness", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] } });
  podWith(store, "a", "10.42.0.5", true);
  const unready = podWith(store, "b", "10.42.0.6", false);
  await controllers.settled();
  let [slice] = slicesOf(store);
  assert.equal(slice!.addressType, "IPv4");
  assert.deepEqual(slice!.ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
  assert.deepEqual(slice!.endpoints.map((endpoint: any) => [endpoint.addresses[0], endpoint.conditions.ready]), [["10.42.0.5", true], ["10.42.0.6", false]]);
  store.update({ ...unready, status: { ...unready.status, conditions: [{ type: "Ready", status: "True" }] } });
  await controllers.settled();
  [slice] = slicesOf(store);
  assert.deepEqual(slice!.endpoints.map((endpoint: any) => endpoint.conditions.ready), [true, true]);
});

it("pods answering a named port on different numbers get a slice each, and the slices go with the service", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] } });
  podWith(store, "a", "10.42.0.5", true, 8080);
  podWith(store, "b", "10.42.0.6", true, 9090);
  await controllers.settled();
  assert.deepEqual(slicesOf(store).map((slice) => slice.ports[0].port).sort(), [8080, 9090]);
  store.delete({ kind: "Service", namespace: "default", name: "web" });
  await controllers.settled();
  assert.deepEqual(slicesOf(store), []);
});

it("a service with no pods keeps one empty slice, and a slice deleted by hand comes back", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ port: 80, protocol: "TCP" }] } });
  await controllers.settled();
  const [slice] = slicesOf(store);
  assert.deepEqual(slice!.endpoints, []);
  store.delete({ kind: "EndpointSlice", namespace: "default", name: slice!.metadata.name });
  await controllers.settled();
  assert.equal(slicesOf(store).length, 1);
});

it("the Endpoints a user keeps for a Service without a selector are mirrored into an EndpointSlice", async () => {
  const { store, controllers } = await setup();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { clusterIP: "10.100.0.10", ports: [{ name: "dns", port: 53, protocol: "UDP" }] } });
  const endpoints = store.create({
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "web", namespace: "default" },
    subsets: [{ addresses: [{ ip: "10.42.0.2" }], notReadyAddresses: [{ ip: "10.42.0.3" }], ports: [{ name: "dns", port: 5353, protocol: "UDP" }] }],
  });
  await controllers.settled();
  const [slice] = slicesOf(store);
  assert.equal(slice!.metadata.labels!["endpointslice.kubernetes.io/managed-by"], "endpointslicemirroring-controller.k8s.io");
  assert.deepEqual(slice!.ports, [{ name: "dns", port: 5353, protocol: "UDP" }]);
  assert.deepEqual(slice!.endpoints.map((endpoint: any) => [endpoint.addresses[0], endpoint.conditions.ready]), [["10.42.0.2", true], ["10.42.0.3", false]]);
  assert.deepEqual(store.get({ kind: "Endpoints", namespace: "default", name: "web" })!.subsets, endpoints.subsets);
  store.delete({ kind: "Endpoints", namespace: "default", name: "web" });
  await controllers.settled();
  assert.deepEqual(slicesOf(store), []);
});
