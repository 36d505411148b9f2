import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endpointSlices, endpointsSubsets, nftCommands, podEndpoints, sameRuleset, servicesRuleset } from "./mod.js";

function service(spec: any = {}): any {
  return {
    metadata: { name: "web", namespace: "default", uid: "uid-web" },
    spec: { selector: { app: "web" }, clusterIP: "10.100.0.11", type: "ClusterIP", ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }], ...spec },
  };
}

function pod(name: string, ip: string, options: { ready?: boolean; port?: number; deleting?: boolean } = {}): any {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}`, labels: { app: "web" }, ...(options.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}) },
    spec: { nodeName: "node-a", containers: [{ name: "c", ports: [{ name: "http", containerPort: options.port ?? 8080 }] }] },
    status: { phase: "Running", podIP: ip, conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }] },
  };
}

describe("endpoints", () => {
  it("podEndpoints() resolves a named target port per pod and reports the three conditions", () => {
    const found = podEndpoints(service(), [pod("b", "10.42.0.6", { port: 9090 }), pod("a", "10.42.0.5", { ready: false }), pod("c", "10.42.0.7", { deleting: true })]);
    assert.deepEqual(found.map((item) => [item.ip, item.ports[0]?.port, item.ready, item.serving, item.terminating]), [
      ["10.42.0.5", 8080, false, false, false],
      ["10.42.0.6", 9090, true, true, false],
      ["10.42.0.7", 8080, false, true, true],
    ]);
  });

  it("podEndpoints() counts every pod ready when the Service publishes not-ready addresses", () => {
    const found = podEndpoints(service({ publishNotReadyAddresses: true }), [pod("a", "10.42.0.5", { ready: false })]);
    assert.equal(found[0]?.ready, true);
    assert.equal(found[0]?.serving, false);
  });

  it("endpointSlices() makes one slice per port set, labelled with the Service's name", () => {
    const slices = endpointSlices(service(), podEndpoints(service(), [pod("a", "10.42.0.5"), pod("b", "10.42.0.6", { port: 9090 })]));
    assert.equal(slices.length, 2);
    assert.deepEqual(slices.map((slice) => slice.ports[0].port), [8080, 9090]);
    assert.equal(slices[0].metadata.labels["kubernetes.io/service-name"], "web");
    assert.notEqual(slices[0].metadata.name, slices[1].metadata.name);
  });

  it("endpointSlices() keeps one empty slice for a Service with no pods", () => {
    const slices = endpointSlices(service(), []);
    assert.deepEqual(slices.map((slice) => slice.endpoints), [[]]);
  });

  it("endpointsSubsets() lists not-ready pods apart and leaves terminating ones out", () => {
    const subsets = endpointsSubsets(service(), podEndpoints(service(), [pod("a", "10.42.0.5"), pod("b", "10.42.0.6", { ready: false }), pod("c", "10.42.0.7", { deleting: true })]));
    assert.deepEqual(subsets.map((subset) => [subset.addresses?.map((item: any) => item.ip), subset.notReadyAddresses?.map((item: any) => item.ip)]), [
      [["10.42.0.5"], ["10.42.0.6"]],
    ]);
  });
});

function slice(endpoints: { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean }[], port = 8080): any {
  return {
    metadata: { namespace: "default", labels: { "kubernetes.io/service-name": "web" } },
    ports: [{ name: "http", port, protocol: "TCP" }],
    endpoints: endpoints.map((item) => ({ addresses: [item.ip], conditions: { ready: item.ready ?? true, serving: item.serving, terminating: item.terminating } })),
  };
}

function elements(ruleset: ReturnType<typeof servicesRuleset>, name: string): string[] | undefined {
  return ruleset.sets.find((set) => set.name === name)?.elements;
}

describe("service rules", () => {
  it("servicesRuleset() sends a cluster IP port to a chain that picks one ready endpoint at random", () => {
    const ruleset = servicesRuleset({ services: [service()], slices: [slice([{ ip: "10.42.0.5" }, { ip: "10.42.0.6" }, { ip: "10.42.0.9", ready: false }])], nodeIps: [] });
    const [entry] = elements(ruleset, "service-ips")!;
    assert.match(entry!, /^10\.100\.0\.11 \. tcp \. 80 : goto service-/);
    const chain = ruleset.chains.find((item) => entry!.endsWith(item.name))!;
    assert.match(chain.rules[0]!, /^numgen random mod 2 vmap \{ 0 : goto endpoint-.*10\.42\.0\.5\/8080, 1 : goto endpoint-.*10\.42\.0\.6\/8080 \}$/);
    const dnats = ruleset.chains.flatMap((item) => item.rules).filter((rule) => rule.includes("dnat"));
    assert.deepEqual(dnats, ["meta l4proto tcp dnat to 10.42.0.5:8080", "meta l4proto tcp dnat to 10.42.0.6:8080"]);
  });

  it("servicesRuleset() routes UDP and TCP ports of one address apart, as kube-dns's 53 needs", () => {
    const dns = { metadata: { name: "kube-dns", namespace: "kube-system" }, spec: { clusterIP: "10.100.0.10", ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "dns-tcp", port: 53, protocol: "TCP" }] } };
    const dnsSlice = {
      metadata: { namespace: "kube-system", labels: { "kubernetes.io/service-name": "kube-dns" } },
      ports: [{ name: "dns", port: 5353, protocol: "UDP" }, { name: "dns-tcp", port: 5353, protocol: "TCP" }],
      endpoints: [{ addresses: ["10.42.0.2"], conditions: { ready: true } }],
    };
    const ruleset = servicesRuleset({ services: [dns], slices: [dnsSlice], nodeIps: [] });
    assert.deepEqual(elements(ruleset, "service-ips")?.map((entry) => entry.split(" : ")[0]), ["10.100.0.10 . udp . 53", "10.100.0.10 . tcp . 53"]);
    const dnats = ruleset.chains.flatMap((chain) => chain.rules).filter((rule) => rule.includes("dnat"));
    assert.deepEqual(dnats, ["meta l4proto udp dnat to 10.42.0.2:5353", "meta l4proto tcp dnat to 10.42.0.2:5353"]);
  });

  it("servicesRuleset() rejects a Service port with no ready endpoint, on its cluster IP and node port", () => {
    const ruleset = servicesRuleset({ services: [service({ type: "NodePort", ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }] })], slices: [slice([{ ip: "10.42.0.5", ready: false }])], nodeIps: ["10.42.7.254"] });
    assert.deepEqual(elements(ruleset, "service-ips"), []);
    assert.deepEqual(elements(ruleset, "no-endpoint-services"), ["10.100.0.11 . tcp . 80 : goto reject-chain"]);
    assert.deepEqual(elements(ruleset, "no-endpoint-nodeports"), ["tcp . 30080 : goto reject-chain"]);
  });

  it("servicesRuleset() falls back to serving terminating endpoints when none is ready", () => {
    const ruleset = servicesRuleset({ services: [service()], slices: [slice([{ ip: "10.42.0.5", ready: false, serving: true, terminating: true }])], nodeIps: [] });
    assert.equal(elements(ruleset, "service-ips")?.length, 1);
  });

  it("servicesRuleset() sends node ports on node addresses to the Service's chain", () => {
    const ruleset = servicesRuleset({ services: [service({ type: "NodePort", ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }] })], slices: [slice([{ ip: "10.42.0.5" }])], nodeIps: ["10.42.7.254", "10.42.0.4"] });
    assert.deepEqual(elements(ruleset, "node-ips"), ["10.42.0.4", "10.42.7.254"]);
    assert.match(elements(ruleset, "service-nodeports")![0]!, /^tcp \. 30080 : goto service-/);
  });

  it("servicesRuleset() keeps a client on its endpoint with ClientIP affinity, through a timed set per endpoint", () => {
    const ruleset = servicesRuleset({ services: [service({ sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })], slices: [slice([{ ip: "10.42.0.5" }, { ip: "10.42.0.6" }])], nodeIps: [] });
    const affinity = ruleset.sets.filter((set) => set.name.startsWith("affinity-"));
    assert.equal(affinity.length, 2);
    assert.equal(affinity[0]!.declaration, "type ipv4_addr; flags dynamic,timeout; timeout 60s;");
    assert.equal(affinity[0]!.elements, undefined);
    const rules = ruleset.chains.flatMap((chain) => chain.rules);
    assert.ok(rules.some((rule) => rule.startsWith(`ip saddr @${affinity[0]!.name} goto endpoint-`)));
    assert.ok(rules.includes(`update @${affinity[0]!.name} { ip saddr }`));
  });

  it("servicesRuleset() marks a pod reaching itself for masquerade and leaves headless and ExternalName Services out", () => {
    const ruleset = servicesRuleset({
      services: [service(), { ...service({ clusterIP: "None" }), metadata: { name: "db", namespace: "default" } }, { ...service({ type: "ExternalName", clusterIP: undefined }), metadata: { name: "x", namespace: "default" } }],
      slices: [slice([{ ip: "10.42.0.5" }])],
      nodeIps: [],
    });
    assert.equal(elements(ruleset, "service-ips")?.length, 1);
    assert.ok(ruleset.chains.some((chain) => chain.rules[0] === "ip saddr 10.42.0.5 jump mark-for-masquerade"));
  });
});

describe("nft commands", () => {
  const three = servicesRuleset({ services: [service({ sessionAffinity: "ClientIP" })], slices: [slice([{ ip: "10.42.0.5" }, { ip: "10.42.0.6" }, { ip: "10.42.0.7" }])], nodeIps: [] });
  const two = servicesRuleset({ services: [service({ sessionAffinity: "ClientIP" })], slices: [slice([{ ip: "10.42.0.5" }, { ip: "10.42.0.6" }])], nodeIps: [] });

  it("nftCommands() replaces the whole table when what is loaded is unknown", () => {
    const text = nftCommands(undefined, three);
    assert.ok(text.startsWith("add table ip moor_services\ndelete table ip moor_services\nadd table ip moor_services\n"));
    assert.ok(text.includes("add rule ip moor_services nat-prerouting jump services"));
  });

  it("nftCommands() touches only what changed when an endpoint goes, and keeps the others' affinity sets", () => {
    const lines = nftCommands(three, two).trim().split("\n");
    assert.ok(lines.some((line) => /^delete chain ip moor_services endpoint-.*10\.42\.0\.7\/8080$/.test(line)));
    assert.ok(lines.some((line) => /^delete set ip moor_services affinity-.*10\.42\.0\.7\/8080$/.test(line)));
    assert.ok(!lines.some((line) => /10\.42\.0\.5\/8080 \{ type/.test(line) || /^(flush|delete) set .*10\.42\.0\.5/.test(line)));
    assert.ok(!lines.some((line) => line.includes("nat-prerouting")));
  });

  it("nftCommands() changes a map element by element when a Service loses its last endpoint", () => {
    const none = servicesRuleset({ services: [service({ sessionAffinity: "ClientIP" })], slices: [slice([])], nodeIps: [] });
    const lines = nftCommands(two, none).trim().split("\n");
    assert.ok(lines.includes("delete element ip moor_services service-ips { 10.100.0.11 . tcp . 80 }"), lines.join("\n"));
    assert.ok(lines.includes("add element ip moor_services no-endpoint-services { 10.100.0.11 . tcp . 80 : goto reject-chain }"));
    assert.ok(!lines.some((line) => line.startsWith("flush map")));
  });

  it("sameRuleset() is true only when no command would change the table", () => {
    assert.equal(sameRuleset(two, two), true);
    assert.equal(sameRuleset(three, two), false);
    assert.equal(sameRuleset(undefined, two), false);
  });
});
