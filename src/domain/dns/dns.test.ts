import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StoredObject } from "../objects/mod.js";
import { clusterRecords, type ClusterObjects, dnsRecordObject, dnsRecordOwnerAnnotation, DnsZone, questionType } from "./mod.js";

const subnets = [
  { subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.42.0.0/20" },
  { subnetId: "subnet-b", availabilityZone: "us-east-1b", cidrBlock: "10.42.16.0/20" },
];
const context = { region: "us-east-1", subnets };

function object(kind: string, namespace: string, name: string, rest: Record<string, unknown>): StoredObject {
  return { apiVersion: "v1", kind, metadata: { name, namespace }, ...rest } as StoredObject;
}

function zoneOf(objects: Partial<ClusterObjects>): DnsZone {
  return new DnsZone(clusterRecords({ services: [], endpoints: [], pods: [], mountTargets: [], extras: [], ...objects }, context));
}

function addresses(zone: DnsZone, name: string, asker?: string): string[] {
  return zone.answer(name, questionType.A, asker).records.flatMap((record) => (record.type === "A" ? [record.address] : []));
}

const web = object("Service", "shop", "web", { spec: { clusterIP: "10.100.0.20", ports: [{ name: "http", port: 80, protocol: "TCP" }, { port: 81 }] } });
const db = object("Service", "shop", "db", { spec: { clusterIP: "None", ports: [{ name: "mysql", port: 3306 }] } });
const dbPod = object("Pod", "shop", "db-0", { spec: { hostname: "db-0", subdomain: "db" }, status: { phase: "Running", podIP: "10.42.0.7" } });
const dbEndpoints = object("Endpoints", "shop", "db", {
  subsets: [{ addresses: [{ ip: "10.42.0.7", targetRef: { kind: "Pod", namespace: "shop", name: "db-0" } }, { ip: "10.42.16.9" }], ports: [{ name: "mysql", port: 3306, protocol: "TCP" }] }],
});

describe("cluster records", () => {
  it("answers a Service's name with its ClusterIP and its IP's reverse name with the Service", () => {
    const zone = zoneOf({ services: [web] });
    assert.deepEqual(addresses(zone, "web.shop.svc.cluster.local."), ["10.100.0.20"]);
    assert.deepEqual(addresses(zone, "WEB.Shop.svc.cluster.local"), ["10.100.0.20"], "names are case-insensitive");
    const pointer = zone.answer("20.0.100.10.in-addr.arpa", questionType.PTR).records[0];
    assert.equal(pointer?.type === "PTR" && pointer.target, "web.shop.svc.cluster.local");
  });

  it("gives SRV records to named ports only", () => {
    const zone = zoneOf({ services: [web] });
    const srv = zone.answer("_http._tcp.web.shop.svc.cluster.local", questionType.SRV).records;
    assert.deepEqual(srv.map((record) => record.type === "SRV" && [record.port, record.target]), [[80, "web.shop.svc.cluster.local"]]);
    assert.equal(zone.answer("_81._tcp.web.shop.svc.cluster.local", questionType.SRV).code, "NXDOMAIN");
  });

  it("answers a headless Service with its ready endpoints and a StatefulSet pod by its hostname", () => {
    const zone = zoneOf({ services: [db], endpoints: [dbEndpoints], pods: [dbPod] });
    assert.deepEqual(addresses(zone, "db.shop.svc.cluster.local").sort(), ["10.42.0.7", "10.42.16.9"]);
    assert.deepEqual(addresses(zone, "db-0.db.shop.svc.cluster.local"), ["10.42.0.7"]);
    assert.deepEqual(addresses(zone, "10-42-16-9.db.shop.svc.cluster.local"), ["10.42.16.9"]);
    const pointer = zone.answer("7.0.42.10.in-addr.arpa", questionType.PTR).records[0];
    assert.equal(pointer?.type === "PTR" && pointer.target, "db-0.db.shop.svc.cluster.local");
    const srv = zone.answer("_mysql._tcp.db.shop.svc.cluster.local", questionType.SRV).records;
    assert.deepEqual(srv.map((record) => record.type === "SRV" && record.target).sort(), ["10-42-16-9.db.shop.svc.cluster.local", "db-0.db.shop.svc.cluster.local"]);
  });

  it("gives a pod's hostname no name when its subdomain names no headless Service", () => {
    const zone = zoneOf({ services: [db], endpoints: [], pods: [dbPod] });
    assert.equal(zone.answer("db-0.db.shop.svc.cluster.local", questionType.A).code, "NXDOMAIN");
    assert.equal(zone.answer("db.shop.svc.cluster.local", questionType.A).code, "NXDOMAIN", "no ready endpoint, no name");
  });

  it("names every pod with an address by its dashed IP, and points the IP back at it", () => {
    const zone = zoneOf({ pods: [dbPod, object("Pod", "shop", "gone", { status: { phase: "Succeeded", podIP: "10.42.0.8" } })] });
    assert.deepEqual(addresses(zone, "10-42-0-7.shop.pod.cluster.local"), ["10.42.0.7"]);
    assert.equal(zone.answer("10-42-0-8.shop.pod.cluster.local", questionType.A).code, "NXDOMAIN");
    const pointer = zone.answer("7.0.42.10.in-addr.arpa", questionType.PTR).records[0];
    assert.equal(pointer?.type === "PTR" && pointer.target, "10-42-0-7.shop.pod.cluster.local");
  });

  it("answers an ExternalName Service with a CNAME whatever type is asked", () => {
    const zone = zoneOf({ services: [object("Service", "shop", "mail", { spec: { type: "ExternalName", externalName: "Mail.Example.com." } })] });
    const answer = zone.answer("mail.shop.svc.cluster.local", questionType.A);
    assert.equal(answer.code, "NOERROR");
    assert.deepEqual(answer.records.map((record) => record.type === "CNAME" && record.target), ["mail.example.com"]);
  });

  it("follows a CNAME to a name of the zone", () => {
    const alias = object("Service", "shop", "front", { spec: { type: "ExternalName", externalName: "web.shop.svc.cluster.local" } });
    const zone = zoneOf({ services: [alias, web] });
    assert.deepEqual(zone.answer("front.shop.svc.cluster.local", questionType.A).records.map((record) => record.type), ["CNAME", "A"]);
  });
});

describe("EFS and extra names", () => {
  const mountTarget = (subnetId: string, zone: string, ip: string, state = "available") =>
    ({ apiVersion: "efs.moor.dev/v1", kind: "MountTarget", metadata: { name: `fsmt-${ip}` }, spec: { fileSystemId: "fs-0123", subnetId, availabilityZoneName: zone, ipAddress: ip }, status: { lifeCycleState: state } }) as StoredObject;

  it("answers a file system's name with the mount target of the asker's zone only", () => {
    const zone = zoneOf({ mountTargets: [mountTarget("subnet-a", "us-east-1a", "10.42.15.254"), mountTarget("subnet-b", "us-east-1b", "10.42.31.254")] });
    assert.deepEqual(addresses(zone, "fs-0123.efs.us-east-1.amazonaws.com", "10.42.0.9"), ["10.42.15.254"]);
    assert.deepEqual(addresses(zone, "fs-0123.efs.us-east-1.amazonaws.com", "10.42.16.9"), ["10.42.31.254"]);
    assert.equal(zone.answer("fs-0123.efs.us-east-1.amazonaws.com", questionType.A, "10.42.32.9").code, "NXDOMAIN", "no mount target in zone c");
    assert.deepEqual(addresses(zone, "us-east-1b.fs-0123.efs.us-east-1.amazonaws.com", "10.42.0.9"), ["10.42.31.254"]);
  });

  it("leaves out mount targets that are not available", () => {
    const zone = zoneOf({ mountTargets: [mountTarget("subnet-a", "us-east-1a", "10.42.15.254", "creating")] });
    assert.equal(zone.answer("fs-0123.efs.us-east-1.amazonaws.com", questionType.A, "10.42.0.9").code, "NXDOMAIN");
  });

  it("dnsRecordObject() names the object after the DNS name and serves it like any DnsRecord", () => {
    const object = dnsRecordObject({ name: "Db-1.Abc123.us-east-1.rds.amazonaws.com.", addresses: ["10.42.0.9"] }, "rds:db-1");
    assert.equal(object.metadata.name, "db-1.abc123.us-east-1.rds.amazonaws.com");
    assert.equal(object.metadata.annotations?.[dnsRecordOwnerAnnotation], "rds:db-1");
    assert.deepEqual(addresses(zoneOf({ extras: [object] }), "db-1.abc123.us-east-1.rds.amazonaws.com"), ["10.42.0.9"]);
  });

  it("serves the addresses of DnsRecord objects", () => {
    const extra = { apiVersion: "dns.moor.dev/v1", kind: "DnsRecord", metadata: { name: "lb" }, spec: { name: "k8s-web-1234.elb.us-east-1.amazonaws.com", addresses: ["127.0.10.1"] } } as StoredObject;
    assert.deepEqual(addresses(zoneOf({ extras: [extra] }), "k8s-web-1234.elb.us-east-1.amazonaws.com"), ["127.0.10.1"]);
  });
});

describe("the zone's negative answers", () => {
  const zone = zoneOf({ services: [web] });

  it("says NXDOMAIN for names outside Moor's own", () => {
    assert.equal(zone.answer("example.com", questionType.A).code, "NXDOMAIN");
    assert.equal(zone.answer("web.shop.svc.cluster.local.shop.svc.cluster.local", questionType.A).code, "NXDOMAIN");
  });

  it("says NODATA for a name with no record of the asked type and for empty non-terminals", () => {
    assert.deepEqual(zone.answer("web.shop.svc.cluster.local", 28), { code: "NOERROR", records: [] });
    assert.deepEqual(zone.answer("shop.svc.cluster.local", questionType.A), { code: "NOERROR", records: [] });
  });
});
