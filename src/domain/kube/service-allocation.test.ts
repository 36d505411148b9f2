import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allocateServiceAddresses, allocationsOf, formatFieldError } from "./mod.js";

function service(name: string, spec: any): any {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec };
}

const none = allocationsOf([]);

describe("service allocation", () => {
  it("allocateServiceAddresses() hands out the lowest free address past 10.100.0.10", () => {
    const first = service("a", { type: "ClusterIP", ports: [{ port: 80 }] });
    assert.deepEqual(allocateServiceAddresses(first, allocationsOf([service("kubernetes", { clusterIP: "10.100.0.1" })])), []);
    assert.equal(first.spec.clusterIP, "10.100.0.11");
    const second = service("b", { type: "ClusterIP", ports: [{ port: 80 }] });
    allocateServiceAddresses(second, allocationsOf([first]));
    assert.deepEqual(second.spec.clusterIPs, ["10.100.0.12"]);
  });

  it("allocateServiceAddresses() honours a requested address, 10.100.0.10 included", () => {
    const dns = service("kube-dns", { clusterIP: "10.100.0.10", ports: [{ port: 53 }] });
    assert.deepEqual(allocateServiceAddresses(dns, none), []);
    assert.deepEqual(dns.spec.clusterIPs, ["10.100.0.10"]);
  });

  it("allocateServiceAddresses() refuses a taken address with upstream's words", () => {
    const taken = allocationsOf([service("a", { clusterIP: "10.100.0.5", clusterIPs: ["10.100.0.5"] })]);
    const errors = allocateServiceAddresses(service("b", { clusterIP: "10.100.0.5", ports: [{ port: 80 }] }), taken);
    assert.deepEqual(errors.map(formatFieldError), [
      'spec.clusterIPs: Invalid value: []string{"10.100.0.5"}: failed to allocate IP 10.100.0.5: provided IP is already allocated',
    ]);
  });

  it("allocateServiceAddresses() refuses an address outside the service CIDR", () => {
    const errors = allocateServiceAddresses(service("b", { clusterIP: "10.0.0.5", ports: [{ port: 80 }] }), none);
    assert.deepEqual(errors.map(formatFieldError), [
      'spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.100.0.0/16',
    ]);
  });

  it("allocateServiceAddresses() leaves headless and ExternalName Services without an address", () => {
    const headless = service("db", { clusterIP: "None", ports: [{ port: 5432 }] });
    assert.deepEqual(allocateServiceAddresses(headless, none), []);
    assert.deepEqual(headless.spec.clusterIPs, ["None"]);
    const external = service("x", { type: "ExternalName", externalName: "example.com" });
    assert.deepEqual(allocateServiceAddresses(external, none), []);
    assert.equal(external.spec.clusterIP, undefined);
  });

  it("allocateServiceAddresses() gives NodePort and LoadBalancer Services free node ports from 30000", () => {
    const taken = allocationsOf([service("a", { type: "NodePort", clusterIP: "10.100.0.11", ports: [{ port: 80, nodePort: 30000 }] })]);
    const balancer = service("lb", { type: "LoadBalancer", ports: [{ name: "http", port: 80 }, { name: "https", port: 443, nodePort: 30001 }] });
    assert.deepEqual(allocateServiceAddresses(balancer, taken), []);
    assert.deepEqual(balancer.spec.ports.map((port: any) => port.nodePort), [30002, 30001]);
    assert.equal(balancer.spec.clusterIP, "10.100.0.12");
  });

  it("allocateServiceAddresses() refuses node ports taken or out of range with upstream's words", () => {
    const taken = allocationsOf([service("a", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] })]);
    const errors = allocateServiceAddresses(service("b", { type: "NodePort", ports: [{ name: "a", port: 80, nodePort: 30080 }, { name: "b", port: 81, nodePort: 40000 }] }), taken);
    assert.deepEqual(errors.map(formatFieldError), [
      "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
      "spec.ports[1].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767",
    ]);
  });

  it("allocateServiceAddresses() forbids a node port on a ClusterIP Service", () => {
    const errors = allocateServiceAddresses(service("b", { type: "ClusterIP", ports: [{ port: 80, nodePort: 30080 }] }), none);
    assert.deepEqual(errors.map(formatFieldError), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  });

  it("allocateServiceAddresses() on update keeps the held address and node ports a PUT leaves out", () => {
    const before = service("a", { type: "NodePort", clusterIP: "10.100.0.20", clusterIPs: ["10.100.0.20"], ports: [{ port: 80, protocol: "TCP", nodePort: 30500 }] });
    const after = service("a", { type: "NodePort", ports: [{ port: 80, protocol: "TCP" }, { port: 81, protocol: "TCP" }] });
    assert.deepEqual(allocateServiceAddresses(after, allocationsOf([before], { namespace: "default", name: "a" }), before), []);
    assert.equal(after.spec.clusterIP, "10.100.0.20");
    assert.deepEqual(after.spec.ports.map((port: any) => port.nodePort), [30500, 30000]);
  });

  it("allocationsOf() derives what is held from the stored Services, so a deleted one frees its addresses", () => {
    const held = allocationsOf([service("a", { clusterIP: "10.100.0.11", ports: [{ port: 80, nodePort: 30001 }] })]);
    assert.ok(held.clusterIps.has("10.100.0.11") && held.nodePorts.has(30001));
    const afterDelete = allocationsOf([]);
    const again = service("b", { clusterIP: "10.100.0.11", type: "NodePort", ports: [{ port: 80, nodePort: 30001 }] });
    assert.deepEqual(allocateServiceAddresses(again, afterDelete), []);
  });
});
