// Cluster DNS end to end (issue 11): the built `moor up`, kubectl and busybox pods asking with
// nslookup through the resolv.conf Moor writes for them.

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { embeddedVpc } from "../../src/domain/network/mod.js";
import { kubeDnsClusterIp, podsAskKubeDnsClusterIp } from "../../src/domain/dns/mod.js";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { awsJson, createFileSystem, createMountTargets } from "../stateful/_efs.js";
import { answeredAddresses, manifests, nslookup, readyPod } from "./_cluster.js";

const resolver = "10.42.0.2";
let moor: MoorUnderTest;
let clientIp: string;

before(async () => {
  moor = await startMoor();
  await kubectlOk(moor, ["apply", "-f", "-"], manifests);
  clientIp = (await readyPod(moor, "client")).status.podIP;
  await readyPod(moor, "db-0");
});
after(async () => {
  await moor?.dispose();
});

it("lists kube-dns in kube-system at 10.100.0.10 with 53/UDP and 53/TCP", async () => {
  const table = await kubectlOk(moor, ["get", "svc", "-n", "kube-system"]);
  assert.match(table, /\nkube-dns\s+ClusterIP\s+10\.100\.0\.10\s+<none>\s+53\/UDP,53\/TCP\s/);
  const endpoints = await kubectlJson(moor, ["get", "endpoints", "kube-dns", "-n", "kube-system"]);
  assert.equal(endpoints.subsets[0].addresses[0].ip, resolver);
});

it("writes a ClusterFirst pod's resolv.conf and hosts file", async () => {
  const nameserver = podsAskKubeDnsClusterIp ? kubeDnsClusterIp : resolver;
  assert.equal(
    await kubectlOk(moor, ["exec", "client", "--", "cat", "/etc/resolv.conf"]),
    `search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${nameserver}\noptions ndots:5\n`,
  );
  const hosts = await kubectlOk(moor, ["exec", "db-0", "--", "cat", "/etc/hosts"]);
  const dbIp = (await kubectlJson(moor, ["get", "pod", "db-0"])).status.podIP;
  assert.match(hosts, new RegExp(`\\n${dbIp.replaceAll(".", "\\.")}\\tdb-0\\.db\\.default\\.svc\\.cluster\\.local\\tdb-0\\n`));
  assert.equal((await kubectlOk(moor, ["exec", "db-0", "--", "hostname"])).trim(), "db-0");
});

it("answers a Service's name, short and long, with its ClusterIP, and the IP with the name", async () => {
  const clusterIp = (await kubectlJson(moor, ["get", "svc", "web"])).spec.clusterIP;
  const long = await nslookup(moor, "client", ["web.default.svc.cluster.local"]);
  assert.deepEqual(answeredAddresses(long.output), [clusterIp], long.output);
  const short = await nslookup(moor, "client", ["web"]);
  assert.deepEqual(answeredAddresses(short.output), [clusterIp], short.output);
  const reverse = await nslookup(moor, "client", [clusterIp]);
  assert.match(reverse.output, /name = web\.default\.svc\.cluster\.local/, reverse.output);
});

it("answers a StatefulSet pod by its name under the headless Service, from a pod of the namespace", async () => {
  const dbIp = (await kubectlJson(moor, ["get", "pod", "db-0"])).status.podIP;
  // busybox's nslookup searches only dotless names; its libc resolver (ping) applies the search
  // list with ndots:5 as applications do.
  const member = await kubectlOk(moor, ["exec", "client", "--", "ping", "-c1", "-W2", "db-0.db"]);
  assert.match(member, new RegExp(`^PING db-0\\.db \\(${dbIp.replaceAll(".", "\\.")}\\)`), member);
  const full = await nslookup(moor, "client", ["db-0.db.default.svc.cluster.local"]);
  assert.deepEqual(answeredAddresses(full.output), [dbIp], full.output);
  const service = await nslookup(moor, "client", ["db.default.svc.cluster.local"]);
  assert.deepEqual(answeredAddresses(service.output), [dbIp], service.output);
  const srv = await nslookup(moor, "client", ["-type=SRV", "_mysql._tcp.db.default.svc.cluster.local"]);
  assert.match(srv.output, /service = 0 100 3306 db-0\.db\.default\.svc\.cluster\.local/, srv.output);
});

it("answers SRV for a named port, a pod's dashed name, and an ExternalName as a CNAME", async () => {
  const srv = await nslookup(moor, "client", ["-type=SRV", "_http._tcp.web.default.svc.cluster.local"]);
  assert.match(srv.output, /service = 0 100 80 web\.default\.svc\.cluster\.local/, srv.output);
  const pod = await nslookup(moor, "client", [`${clientIp.replaceAll(".", "-")}.default.pod.cluster.local`]);
  assert.deepEqual(answeredAddresses(pod.output), [clientIp], pod.output);
  const alias = await nslookup(moor, "client", ["-type=CNAME", "mail.default.svc.cluster.local"]);
  assert.match(alias.output, /canonical name = smtp\.example\.com/, alias.output);
});

it("says NXDOMAIN at once for names Moor does not own", async () => {
  // An NXDOMAIN answer, not a time-out (nslookup would say "timed out"); how fast is bench/dns's.
  for (const name of ["example.com", "nothing.default.svc.cluster.local"]) {
    const result = await nslookup(moor, "client", [name]);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /NXDOMAIN/, result.output);
  }
});

it("answers an EFS file system's name with the mount target in the asking pod's zone", async () => {
  const fileSystemId = await createFileSystem(moor, "dns-efs");
  await createMountTargets(moor, fileSystemId);
  const targets = (await awsJson(moor, ["efs", "describe-mount-targets", "--file-system-id", fileSystemId])).MountTargets;
  const subnet = embeddedVpc("us-east-1").subnets.find((item) => within(item.cidrBlock, clientIp))!;
  const expected = targets.find((target: any) => target.SubnetId === subnet.subnetId).IpAddress;
  const name = `${fileSystemId}.efs.us-east-1.amazonaws.com`;
  const answer = await waitFor(`${name} to resolve`, async () => {
    const result = await nslookup(moor, "client", [name]);
    return result.code === 0 ? result : undefined;
  }, 10_000);
  assert.deepEqual(answeredAddresses(answer.output), [expected], answer.output);
  const other = targets.find((target: any) => target.SubnetId !== subnet.subnetId);
  const zonal = await nslookup(moor, "client", [`${other.AvailabilityZoneName}.${name}`]);
  assert.deepEqual(answeredAddresses(zonal.output), [other.IpAddress], zonal.output);

  // A file system with no mount target in the pod's zone has no address for it, as on AWS.
  const elsewhere = await createFileSystem(moor, "dns-efs-elsewhere");
  await createMountTargets(moor, elsewhere, [other.AvailabilityZoneName]);
  const elsewhereName = `${elsewhere}.efs.us-east-1.amazonaws.com`;
  await waitFor(`${other.AvailabilityZoneName}.${elsewhereName} to resolve`, async () => (await nslookup(moor, "client", [`${other.AvailabilityZoneName}.${elsewhereName}`])).code === 0, 10_000);
  const missing = await nslookup(moor, "client", [elsewhereName]);
  assert.notEqual(missing.code, 0, missing.output);
  assert.match(missing.output, /NXDOMAIN/, missing.output);
});

it("follows the store: a deleted Service stops resolving", async () => {
  await kubectlOk(moor, ["delete", "svc", "web"]);
  await waitFor("web to be gone from DNS", async () => {
    const result = await nslookup(moor, "client", ["web.default.svc.cluster.local"]);
    return result.code !== 0 && /NXDOMAIN/.test(result.output);
  }, 10_000);
});

function within(cidr: string, ip: string): boolean {
  const toNumber = (text: string) => text.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return toNumber(ip) >= toNumber(base!) && toNumber(ip) < toNumber(base!) + size;
}

it("writes resolv.conf per dnsPolicy Default and None, with dnsConfig merged in", async () => {
  const pods = [
    { name: "policy-default", spec: { dnsPolicy: "Default" } },
    { name: "policy-none", spec: { dnsPolicy: "None", dnsConfig: { nameservers: ["10.42.0.2"], searches: ["corp.example"], options: [{ name: "ndots", value: "2" }] } } },
    { name: "policy-merged", spec: { dnsConfig: { searches: ["corp.example"], options: [{ name: "ndots", value: "1" }, { name: "edns0" }] } } },
  ];
  for (const pod of pods) {
    const manifest = { apiVersion: "v1", kind: "Pod", metadata: { name: pod.name }, spec: { ...pod.spec, terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"] }] } };
    await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify(manifest));
  }
  const resolvConf = async (name: string) => {
    await readyPod(moor, name);
    return kubectlOk(moor, ["exec", name, "--", "cat", "/etc/resolv.conf"]);
  };
  const nameserver = podsAskKubeDnsClusterIp ? kubeDnsClusterIp : resolver;
  assert.equal(await resolvConf("policy-default"), `search ec2.internal\nnameserver ${resolver}\n`);
  assert.equal(await resolvConf("policy-none"), "search corp.example\nnameserver 10.42.0.2\noptions ndots:2\n");
  assert.equal(
    await resolvConf("policy-merged"),
    `search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver ${nameserver}\noptions ndots:1 edns0\n`,
  );
  const lookup = await nslookup(moor, "policy-none", ["db.default.svc.cluster.local"]);
  assert.equal(lookup.code, 0, lookup.output);
});
