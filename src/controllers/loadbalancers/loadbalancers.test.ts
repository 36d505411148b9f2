import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { addressAnnotation, createLoadBalancerController, ensureAlbIngressClass, type ProxyPort } from "./mod.js";

type Applied = Parameters<ProxyPort["apply"]>[0];

function setup() {
  const clock = new FakeClock();
  const store = createMemoryStore({ now: () => clock.now() });
  const applied: Applied[] = [];
  const proxy: ProxyPort = { apply: async (balancers) => void applied.push(balancers) };
  ensureAlbIngressClass(store);
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const controller = createLoadBalancerController({ store, clock, proxy, region: "us-east-1", accountId: "000000000000", clusterName: "moor", homeDigest: "0000beef" });
  return { store, controller, applied, last: () => applied[applied.length - 1] ?? [] };
}

function webService(store: Store, type = "ClusterIP"): void {
  store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default", uid: "svc-uid" }, spec: { type, selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
  store.create({ apiVersion: "v1", kind: "Endpoints", metadata: { name: "web", namespace: "default" }, subsets: [{ addresses: [{ ip: "10.42.0.7" }], ports: [{ name: "http", port: 8080 }] }] });
}

function ingress(store: Store, name: string, service: string, extra: Record<string, unknown> = {}): void {
  store.create({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace: "default", annotations: { "alb.ingress.kubernetes.io/target-type": "ip" } },
    spec: { ingressClassName: "alb", rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service, port: { number: 80 } } } }] } }], ...extra },
  });
}

describe("load balancer controller", () => {
  it("gives an alb Ingress a hostname, a kept host address and a proxied ALB with the ready pods", async () => {
    const { store, controller, last } = setup();
    webService(store);
    ingress(store, "web", "web");
    await controller.start();
    await controller.settled();
    const object = store.get({ kind: "Ingress", namespace: "default", name: "web" })!;
    assert.match(object.status.loadBalancer.ingress[0].hostname, /^internal-k8s-default-web-[0-9a-f]{10}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.equal(object.metadata.annotations?.[addressAnnotation], "127.64.0.1");
    assert.deepEqual(last().map((balancer) => [balancer.address, balancer.vpcAddress, balancer.targetGroups[0]!.targets]), [["127.64.0.1", "10.42.255.1", [{ ip: "10.42.0.7", port: 8080 }]]]);
    const names = store.list("DnsRecord").items.map((item) => [item.metadata.name, item.spec.addresses]);
    assert.deepEqual(names, [[object.status.loadBalancer.ingress[0].hostname, ["10.42.255.1"]]], "pods resolve the hostname to the VPC address");
    const events = store.list("Event", { namespace: "default" }).items.map((event) => `${event.reason}`);
    assert.deepEqual(events, ["SuccessfullyReconciled"]);
    await controller.stop();
  });

  it("follows the Endpoints, and drops the ALB when the Ingress goes", async () => {
    const { store, controller, last } = setup();
    webService(store);
    ingress(store, "web", "web");
    await controller.start();
    await controller.settled();
    const endpoints = store.get({ kind: "Endpoints", namespace: "default", name: "web" })!;
    store.update({ ...endpoints, subsets: [] });
    await controller.settled();
    assert.deepEqual(last()[0]!.targetGroups[0]!.targets, []);
    store.delete({ kind: "Ingress", namespace: "default", name: "web" });
    await controller.settled();
    assert.deepEqual(last(), []);
    assert.deepEqual(store.list("DnsRecord").items, [], "the name goes with the load balancer");
    await controller.stop();
  });

  it("removes at start the names of load balancers whose objects went while it was stopped", async () => {
    const { store, controller } = setup();
    store.create({ apiVersion: "dns.moor.dev/v1", kind: "DnsRecord", metadata: { name: "gone.elb.amazonaws.com", annotations: { "dns.moor.dev/owner": "loadbalancers:Ingress/default/gone" } }, spec: { name: "gone.elb.amazonaws.com", addresses: ["10.42.255.3"] } });
    store.create({ apiVersion: "dns.moor.dev/v1", kind: "DnsRecord", metadata: { name: "db.rds.amazonaws.com", annotations: { "dns.moor.dev/owner": "rds:db" } }, spec: { name: "db.rds.amazonaws.com", addresses: ["10.42.0.9"] } });
    await controller.start();
    await controller.settled();
    assert.deepEqual(store.list("DnsRecord").items.map((item) => item.metadata.name), ["db.rds.amazonaws.com"], "another owner's names stay");
    await controller.stop();
  });

  it("records FailedBuildModel for a missing Service and leaves Ingresses of other classes alone", async () => {
    const { store, controller, applied } = setup();
    store.create({ apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } });
    ingress(store, "broken", "nope");
    ingress(store, "other", "nope", { ingressClassName: "nginx" });
    await controller.start();
    await controller.settled();
    const events = store.list("Event", { namespace: "default" }).items.map((event) => `${event.involvedObject.name} ${event.type} ${event.reason} ${event.message}`);
    assert.deepEqual(events, ['broken Warning FailedBuildModel Failed build model due to ingress: default/broken: Service "nope" not found']);
    assert.equal(applied.length, 0);
    assert.equal(store.get({ kind: "Ingress", namespace: "default", name: "other" })!.status, undefined);
    await controller.stop();
  });

  it("gives a LoadBalancer Service an NLB hostname and its own address", async () => {
    const { store, controller, last } = setup();
    webService(store, "LoadBalancer");
    ingress(store, "web", "web");
    await controller.start();
    await controller.settled();
    const service = store.get({ kind: "Service", namespace: "default", name: "web" })!;
    assert.match(service.status.loadBalancer.ingress[0].hostname, /^k8s-default-web-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    assert.deepEqual(last().map((balancer) => balancer.address).sort(), ["127.64.0.1", "127.64.0.2"]);
    await controller.stop();
  });

  it("puts a DB instance's endpoint on a host address of its own while its server runs, unchecked, with no VPC address or DNS record of its own", async () => {
    const { store, controller, last } = setup();
    const spec = { identifier: "wp-db", port: 3306 };
    store.create({ apiVersion: "rds.moor.dev/v1", kind: "DBInstance", metadata: { name: "wp-db" }, spec, status: { status: "creating", since: "2026-01-01T00:00:00.000Z" } });
    await controller.start();
    await controller.settled();
    assert.deepEqual(last(), [], "no endpoint before the server has an address");
    const creating = store.get({ kind: "DBInstance", name: "wp-db" })!;
    store.update({ ...creating, status: { ...creating.status, status: "backing-up", address: "10.42.16.7" } });
    await controller.settled();
    const [balancer] = last();
    assert.match(balancer!.dnsName, /^wp-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    assert.deepEqual([balancer!.address, balancer!.vpcAddress, balancer!.listeners.map((listener) => listener.port)], ["127.64.0.1", undefined, [3306]]);
    assert.deepEqual(balancer!.targetGroups.map((group) => [group.targets, group.healthCheckEnabled]), [[[{ ip: "10.42.16.7", port: 3306 }], false]]);
    assert.equal(store.get({ kind: "DBInstance", name: "wp-db" })!.metadata.annotations?.[addressAnnotation], "127.64.0.1");
    assert.deepEqual(store.list("DnsRecord").items, []);
    const available = store.get({ kind: "DBInstance", name: "wp-db" })!;
    store.update({ ...available, status: { ...available.status, status: "stopped", address: undefined } });
    await controller.settled();
    assert.deepEqual(last(), [], "a stopped instance has no endpoint on the host");
    await controller.stop();
  });
});
