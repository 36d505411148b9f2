import assert from "node:assert/strict";
import { it } from "node:test";
import { podHostsFile, podResolvConf } from "./mod.js";

const node = { clusterNameserver: "10.100.0.10", nodeNameserver: "10.42.0.2", nodeSearches: ["ec2.internal"] };

it("podResolvConf() points ClusterFirst pods at cluster DNS with their namespace first and ndots:5", () => {
  assert.equal(
    podResolvConf({}, "shop", node),
    "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.100.0.10\noptions ndots:5\n",
  );
});

it("podResolvConf() gives Default pods the node's resolver and merges dnsConfig", () => {
  const text = podResolvConf({ dnsPolicy: "Default", dnsConfig: { nameservers: ["10.42.0.3"], searches: ["corp.example"], options: [{ name: "edns0" }] } }, "shop", node);
  assert.equal(text, "search ec2.internal corp.example\nnameserver 10.42.0.2\nnameserver 10.42.0.3\noptions edns0\n");
});

it("podResolvConf() writes only dnsConfig under None, an option overriding one of the same name", () => {
  const spec = { dnsPolicy: "None", dnsConfig: { nameservers: ["1.2.3.4"], searches: ["a.example", "a.example"], options: [{ name: "ndots", value: "2" }] } };
  assert.equal(podResolvConf(spec, "shop", node), "search a.example\nnameserver 1.2.3.4\noptions ndots:2\n");
  const merged = podResolvConf({ dnsConfig: { options: [{ name: "ndots", value: "1" }, { name: "timeout", value: "3" }] } }, "shop", node);
  assert.match(merged, /\noptions ndots:1 timeout:3\n$/);
});

it("podResolvConf() keeps at most three nameservers", () => {
  const text = podResolvConf({ dnsConfig: { nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3"] } }, "shop", node);
  assert.equal(text.match(/nameserver/g)?.length, 3);
});

it("podHostsFile() names the pod by its hostname, fully qualified when it has a subdomain", () => {
  const plain = podHostsFile({}, { podName: "web-1", namespace: "shop", ip: "10.42.0.5" });
  assert.match(plain, /\n10\.42\.0\.5\tweb-1\n$/);
  const stateful = podHostsFile({ hostname: "db-0", subdomain: "db", hostAliases: [{ ip: "10.1.2.3", hostnames: ["foo", "bar"] }] }, { podName: "db-0", namespace: "shop", ip: "10.42.0.7" });
  assert.match(stateful, /\n10\.42\.0\.7\tdb-0\.db\.shop\.svc\.cluster\.local\tdb-0\n/);
  assert.match(stateful, /# Entries added by HostAliases\.\n10\.1\.2\.3\tfoo\tbar\n$/);
});
