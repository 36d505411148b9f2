import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import type { NftRuleset } from "../../domain/traffic/mod.js";
import { createMemoryStore } from "../../store/mod.js";
import { createServiceProxy, type ServiceProxy } from "./mod.js";

const clock = new FakeClock(new Date("2026-01-01T00:00:00Z"));
let running: ServiceProxy | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function setup(fail = 0) {
  const store = createMemoryStore({ now: () => clock.now() });
  const loaded: NftRuleset[] = [];
  let failures = fail;
  const datapath = {
    async apply(ruleset: NftRuleset) {
      if (failures-- > 0) throw new Error("namespace missing");
      loaded.push(ruleset);
    },
  };
  running = createServiceProxy({ store, clock, datapath });
  await running.start();
  await running.settled();
  return { store, loaded, proxy: running };
}

const serviceIps = (ruleset: NftRuleset | undefined) => ruleset?.sets.find((set) => set.name === "service-ips")?.elements;

it("the service proxy loads a Service's endpoints and follows its EndpointSlice", async () => {
  const { store, loaded, proxy } = await setup();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { clusterIP: "10.100.0.11", ports: [{ port: 80, protocol: "TCP" }] } });
  await proxy.settled();
  assert.deepEqual(serviceIps(loaded.at(-1)), []);
  const slice = store.create({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: "web-abc", namespace: "default", labels: { "kubernetes.io/service-name": "web" } },
    addressType: "IPv4",
    ports: [{ name: "", port: 8080, protocol: "TCP" }],
    endpoints: [{ addresses: ["10.42.0.5"], conditions: { ready: true } }],
  });
  await proxy.settled();
  assert.equal(serviceIps(loaded.at(-1))?.length, 1);
  store.update({ ...slice, endpoints: [{ addresses: ["10.42.0.5"], conditions: { ready: false } }] });
  await proxy.settled();
  assert.deepEqual(serviceIps(loaded.at(-1)), []);
});

it("the service proxy puts node addresses in the table and retries a load that failed", async () => {
  const { store, loaded, proxy } = await setup(1);
  assert.equal(loaded.length, 0);
  store.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, status: { addresses: [{ type: "InternalIP", address: "10.42.7.254" }, { type: "Hostname", address: "n1" }] } });
  await proxy.settled();
  assert.deepEqual(loaded.at(-1)?.sets.find((set) => set.name === "node-ips")?.elements, ["10.42.7.254"]);
});
