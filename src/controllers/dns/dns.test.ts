import assert from "node:assert/strict";
import { it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import type { DnsRecord } from "../../domain/dns/mod.js";
import { createMemoryStore } from "../../store/mod.js";
import { createDnsController, kubeDnsClusterIp } from "./mod.js";

function setUp() {
  const clock = new FakeClock();
  const store = createMemoryStore({ now: () => clock.now() });
  const published: DnsRecord[][] = [];
  const controller = createDnsController({ store, clock, region: "us-east-1", subnets: [], serverAddress: "10.42.0.2", publish: (records) => published.push(records) });
  return { store, published, controller };
}

const addressOf = (records: DnsRecord[] | undefined, name: string) =>
  records?.filter((record) => record.name === name).map((record) => (record.type === "A" ? record.address : record.type));

it("the DNS controller creates kube-dns at 10.100.0.10 with Endpoints on the server's address, and publishes its name", async () => {
  const { store, published, controller } = setUp();
  await controller.start();
  await controller.settled();
  const service = store.get({ kind: "Service", namespace: "kube-system", name: "kube-dns" });
  assert.equal(service?.spec.clusterIP, kubeDnsClusterIp);
  assert.deepEqual(service?.spec.ports.map((port: any) => `${port.name} ${port.port}/${port.protocol}`), ["dns 53/UDP", "dns-tcp 53/TCP"]);
  const endpoints = store.get({ kind: "Endpoints", namespace: "kube-system", name: "kube-dns" });
  assert.equal(endpoints?.subsets[0].addresses[0].ip, "10.42.0.2");
  assert.deepEqual(addressOf(published.at(-1), "kube-dns.kube-system.svc.cluster.local"), [kubeDnsClusterIp]);
  await controller.stop();
});

it("the DNS controller publishes a Service's change and puts back a deleted kube-dns", async () => {
  const { store, published, controller } = setUp();
  await controller.start();
  await controller.settled();
  const service = store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { clusterIP: "10.100.0.20" } });
  await controller.settled();
  assert.deepEqual(addressOf(published.at(-1), "web.default.svc.cluster.local"), ["10.100.0.20"]);
  const count = published.length;
  store.update({ ...service, metadata: { ...service.metadata, labels: { app: "web" } } });
  await controller.settled();
  assert.equal(published.length, count, "a change that changes no record publishes nothing");
  store.delete({ kind: "Service", namespace: "default", name: "web" });
  store.delete({ kind: "Service", namespace: "kube-system", name: "kube-dns" });
  await controller.settled();
  assert.deepEqual(addressOf(published.at(-1), "web.default.svc.cluster.local"), []);
  assert.ok(store.get({ kind: "Service", namespace: "kube-system", name: "kube-dns" }), "kube-dns is back");
  await controller.stop();
});

it("the DNS controller leaves 10.100.0.10 to a Service that already holds it", async () => {
  const { store, controller } = setUp();
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "early", namespace: "default" }, spec: { clusterIP: kubeDnsClusterIp } });
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  try {
    await controller.start();
    await controller.settled();
  } finally {
    console.error = original;
  }
  assert.equal(store.get({ kind: "Service", namespace: "kube-system", name: "kube-dns" }), undefined);
  assert.match(String(errors[0]), /Cannot create Service "kube-system\/kube-dns": 10\.100\.0\.10 is held by Service "default\/early"/);
  await controller.stop();
});

it("the DNS controller publishes EFS names and DnsRecord objects as they change", async () => {
  const { store, published, controller } = setUp();
  await controller.start();
  await controller.settled();
  const extra = store.create({ apiVersion: "dns.moor.dev/v1", kind: "DnsRecord", metadata: { name: "web-lb" }, spec: { name: "web-1234.elb.us-east-1.amazonaws.com", addresses: ["127.0.10.1"] } });
  store.create({
    apiVersion: "efs.moor.dev/v1",
    kind: "MountTarget",
    metadata: { name: "fsmt-1" },
    spec: { fileSystemId: "fs-1", subnetId: "subnet-x", availabilityZoneName: "us-east-1a", ipAddress: "10.42.15.254" },
    status: { lifeCycleState: "available" },
  });
  await controller.settled();
  assert.deepEqual(addressOf(published.at(-1), "web-1234.elb.us-east-1.amazonaws.com"), ["127.0.10.1"]);
  assert.deepEqual(addressOf(published.at(-1), "us-east-1a.fs-1.efs.us-east-1.amazonaws.com"), ["10.42.15.254"]);
  store.update({ ...extra, spec: { ...extra.spec, addresses: ["127.0.10.2"] } });
  await controller.settled();
  assert.deepEqual(addressOf(published.at(-1), "web-1234.elb.us-east-1.amazonaws.com"), ["127.0.10.2"]);
  await controller.stop();
});
