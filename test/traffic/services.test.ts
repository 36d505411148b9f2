// Services end to end (issue 11, scenario 1): busybox httpd pods behind a ClusterIP Service
// reached from another pod by its cluster DNS name through the kernel's rules in the VPC
// namespace, scaling to 0 (refused at once) and back, session affinity, a node port, a pod reaching itself through its Service, and
// upstream's errors for taken or out-of-range addresses and ports.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { clusterIp, fetchFrom, fetchMany, readyPods, service, startClient, waitReady, webDeployment } from "./_traffic.js";

describe("Services through the kernel's rules", () => {
  let moor: MoorUnderTest;
  let ip: string;
  before(async () => {
    moor = await startMoor();
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("web", 3));
    await kubectlOk(moor, ["apply", "-f", "-"], service("web", { ports: [{ port: 80, targetPort: "http" }] }));
    await startClient(moor);
    await waitReady(moor, "web", 3);
    ip = await clusterIp(moor, "web");
  });
  after(async () => {
    await kubectl(moor, ["delete", "deployment,pods", "--all", "--grace-period=1", "--wait=true"]);
    await moor?.dispose();
  });

  it("30 requests to http://web.default.svc.cluster.local/ from another pod reach all three replicas", async () => {
    assert.match(ip, /^10\.100\.\d+\.\d+$/);
    const names = (await readyPods(moor, "web")).map((pod) => pod.metadata.name).sort();
    const answers = await waitFor("the Service answering", async () => {
      const got = await fetchMany(moor, "client", "web.default.svc.cluster.local", 30);
      return got.includes("FAILED") ? undefined : got;
    }, 10_000);
    assert.deepEqual([...new Set(answers)].sort(), names);
    const slices = await kubectlJson(moor, ["get", "endpointslices", "-l", "kubernetes.io/service-name=web"]);
    assert.equal(slices.items[0].endpoints.length, 3);
    assert.deepEqual(slices.items[0].ports, [{ name: "", port: 8080, protocol: "TCP" }]);
  });

  // How soon after Ready a pod gets traffic is a figure, measured in bench/traffic, not asserted here.
  it("scaled to 0 the Service refuses connections, and back to 3 it serves again once they are Ready", async () => {
    await kubectlOk(moor, ["scale", "deployment/web", "--replicas=0"]);
    await waitFor("the web pods gone", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items.length === 0, 60_000);
    const refused = await waitFor("the Service refusing", async () => {
      const answer = await fetchFrom(moor, "client", "web.default.svc.cluster.local", 5);
      // Refused (a reset), not timed out.
      return !answer.ok && /Connection refused/.test(answer.text) && answer.text;
    }, 5_000);
    assert.match(refused, new RegExp(`can't connect to remote host \\(${ip.replaceAll(".", "\\.")}\\): Connection refused`));
    await kubectlOk(moor, ["scale", "deployment/web", "--replicas=3"]);
    const ready = (await waitReady(moor, "web", 3)).map((pod) => pod.metadata.name).sort();
    const answers = await waitFor("the Service serving all three again", async () => {
      const got = await fetchMany(moor, "client", "web", 30);
      return new Set(got).size === 3 && got;
    }, 10_000);
    assert.deepEqual([...new Set(answers)].sort(), ready);
  });

  it("the short name and every search form resolve from a pod, and an unknown name is a bad address", async () => {
    for (const name of ["web", "web.default", "web.default.svc", "web.default.svc.cluster.local"]) {
      const answer = await waitFor(`an answer through ${name}`, async () => {
        const got = await fetchFrom(moor, "client", name);
        return got.ok && got.text;
      }, 10_000);
      assert.match(answer, /^web-/);
    }
    const unknown = await fetchFrom(moor, "client", "nope.default.svc.cluster.local");
    assert.equal(unknown.ok, false);
    assert.match(unknown.text, /bad address 'nope\.default\.svc\.cluster\.local'/);
  });

  it("sessionAffinity ClientIP keeps a client on one replica", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], service("sticky", { ports: [{ port: 80, targetPort: "http" }], sessionAffinity: "ClientIP" }));
    const sticky = await clusterIp(moor, "sticky");
    const answers = await waitFor("the sticky Service answering", async () => {
      const got = await fetchMany(moor, "client", sticky, 15);
      return got.includes("FAILED") ? undefined : got;
    }, 10_000);
    assert.equal(new Set(answers).size, 1, answers.join(","));
  });

  it("a NodePort Service answers on a node's address, and a pod reaches itself through its Service", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], service("web-np", { type: "NodePort", ports: [{ port: 80, targetPort: "http", nodePort: 30080 }] }));
    const shown = await kubectlOk(moor, ["get", "service", "web-np"]);
    assert.match(shown, /80:30080\/TCP/);
    const [pod] = await readyPods(moor, "web");
    const node = await kubectlJson(moor, ["get", "node", pod.spec.nodeName]);
    const nodeIp = node.status.addresses.find((address: any) => address.type === "InternalIP").address;
    const viaNode = await waitFor("the node port answering", async () => {
      const got = await fetchFrom(moor, "client", `${nodeIp}:30080`);
      return got.ok ? got.text : undefined;
    }, 10_000);
    assert.match(viaNode, /^web-/);
    // A web pod asks its own Service: about a third of the requests come back to it (hairpin).
    const self = await fetchMany(moor, pod.metadata.name, ip, 24);
    assert.ok(!self.includes("FAILED"), self.join(","));
    assert.ok(self.includes(pod.metadata.name), self.join(","));
  });

  it("a Service without a selector reaches the addresses of the Endpoints its user keeps, as kube-dns's does", async () => {
    const [pod] = await readyPods(moor, "web");
    const manual = { apiVersion: "v1", kind: "Service", metadata: { name: "manual" }, spec: { clusterIP: "10.100.0.9", ports: [{ name: "dns-tcp", port: 53, protocol: "TCP" }] } };
    const endpoints = { apiVersion: "v1", kind: "Endpoints", metadata: { name: "manual" }, subsets: [{ addresses: [{ ip: pod.status.podIP }], ports: [{ name: "dns-tcp", port: 8080, protocol: "TCP" }] }] };
    await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: [manual, endpoints] }));
    const answer = await waitFor("the selector-less Service answering", async () => {
      const got = await fetchFrom(moor, "client", "10.100.0.9:53");
      return got.ok ? got.text : undefined;
    }, 10_000);
    assert.equal(answer, pod.metadata.name);
  });

  it("conflicting cluster IPs and taken or out-of-range node ports get upstream's errors", async () => {
    const taken = await kubectl(moor, ["apply", "-f", "-"], service("clash", { clusterIP: ip, ports: [{ port: 80 }] }));
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, new RegExp(`spec.clusterIPs: Invalid value: \\[\\]string\\{"${ip.replace(/\./g, "\\.")}"\\}: failed to allocate IP ${ip.replace(/\./g, "\\.")}: provided IP is already allocated`));
    const port = await kubectl(moor, ["apply", "-f", "-"], service("clash", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    assert.match(port.stderr, /spec.ports\[0\].nodePort: Invalid value: 30080: provided port is already allocated/);
    const range = await kubectl(moor, ["apply", "-f", "-"], service("clash", { type: "NodePort", ports: [{ port: 80, nodePort: 40000 }] }));
    assert.match(range.stderr, /spec.ports\[0\].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767/);
    const outside = await kubectl(moor, ["apply", "-f", "-"], service("clash", { clusterIP: "10.0.0.5", ports: [{ port: 80 }] }));
    assert.match(outside.stderr, /failed to allocate IP 10\.0\.0\.5: the provided IP \(10\.0\.0\.5\) is not in the valid range. The range of valid IPs is 10\.100\.0\.0\/16/);
    assert.match(await kubectlOk(moor, ["get", "service", "web"]), /web/);
  });
});
