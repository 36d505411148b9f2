// Building the records of a cluster from its objects, as CoreDNS's kubernetes plugin answers
// them (Services, headless endpoints, pods, SRV for named ports, PTR) and as Route 53 Resolver
// answers the AWS names Moor owns (EFS file systems; load balancers and databases through
// DnsRecord objects other controllers write).

import type { StoredObject } from "../objects/mod.js";
import { awsTtlSeconds, clusterDomain, clusterTtlSeconds, dashedAddress, type DnsRecord, reverseName } from "./_records.js";

/**
 * Extra names other parts of Moor publish: objects of this kind, cluster-scoped, one per name
 * (the load balancer controller for ALB and NLB hostnames; a database's endpoint likewise).
 * The DNS controller watches them and answers within one reconcile; deleting one removes the name.
 */
export const dnsRecordApiVersion = "dns.moor.dev/v1";
export const dnsRecordKind = "DnsRecord";
/** Who wrote a DnsRecord: a key of the writer's own, to find and remove its records. */
export const dnsRecordOwnerAnnotation = "dns.moor.dev/owner";

/** A DnsRecord object's spec: one name and its IPv4 addresses (an A record set). */
export interface DnsRecordSpec {
  name: string;
  addresses: string[];
  ttlSeconds?: number;
}

/**
 * The DnsRecord object that makes cluster DNS answer `name` with `addresses` (TTL 60 s as Route
 * 53 answers AWS names, unless given). Its object name is the DNS name itself (lower case, no
 * final dot), so there is one per name; `owner` goes in the owner annotation.
 */
export function dnsRecordObject(spec: DnsRecordSpec, owner: string): StoredObject {
  const name = spec.name.toLowerCase().replace(/\.$/, "");
  return {
    apiVersion: dnsRecordApiVersion,
    kind: dnsRecordKind,
    metadata: { name, annotations: { [dnsRecordOwnerAnnotation]: owner } },
    spec: { ...spec, name },
  };
}

export interface ClusterObjects {
  services: StoredObject[];
  endpoints: StoredObject[];
  pods: StoredObject[];
  /** EFS MountTarget objects (efs.moor.dev/v1). */
  mountTargets: StoredObject[];
  /** DnsRecord objects. */
  extras: StoredObject[];
}

export interface ClusterDnsContext {
  region: string;
  /** The VPC's subnets: a mount target answers the askers of its own subnet's zone. */
  subnets: readonly { subnetId: string; availabilityZone: string; cidrBlock: string }[];
}

export function clusterRecords(objects: ClusterObjects, context: ClusterDnsContext): DnsRecord[] {
  const records: DnsRecord[] = [];
  const pointers = new Map<string, string>();
  const podsByName = new Map(objects.pods.map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]));
  const endpointsByName = new Map(objects.endpoints.map((item) => [`${item.metadata.namespace}/${item.metadata.name}`, item]));
  for (const service of objects.services) {
    const endpoints = endpointsByName.get(`${service.metadata.namespace}/${service.metadata.name}`);
    records.push(...serviceRecords(service, endpoints, podsByName, pointers));
  }
  for (const pod of objects.pods) records.push(...podRecords(pod, pointers));
  for (const [ip, target] of pointers) records.push({ name: reverseName(ip), type: "PTR", target, ttlSeconds: clusterTtlSeconds });
  records.push(...fileSystemRecords(objects.mountTargets, context));
  for (const extra of objects.extras) records.push(...extraRecords(extra));
  return records;
}

function serviceRecords(service: StoredObject, endpoints: StoredObject | undefined, pods: Map<string, StoredObject>, pointers: Map<string, string>): DnsRecord[] {
  const namespace = service.metadata.namespace ?? "default";
  const name = `${service.metadata.name}.${namespace}.svc.${clusterDomain}`.toLowerCase();
  const spec = service.spec ?? {};
  const ttlSeconds = clusterTtlSeconds;
  if (spec.type === "ExternalName") {
    return spec.externalName ? [{ name, type: "CNAME", target: String(spec.externalName).toLowerCase().replace(/\.$/, ""), ttlSeconds }] : [];
  }
  const records: DnsRecord[] = [];
  if (spec.clusterIP && spec.clusterIP !== "None") {
    records.push({ name, type: "A", address: spec.clusterIP, ttlSeconds });
    pointers.set(spec.clusterIP, name);
    for (const port of spec.ports ?? []) {
      if (!port.name) continue;
      records.push({ name: srvName(port.name, port.protocol, name), type: "SRV", priority: 0, weight: 100, port: port.port, target: name, ttlSeconds });
    }
    return records;
  }
  if (spec.clusterIP !== "None") return records;
  // Headless: the ready endpoints themselves, each with a name of its own.
  for (const subset of endpoints?.subsets ?? []) {
    const addresses: any[] = subset.addresses ?? [];
    for (const address of addresses) {
      const pod = address.targetRef?.kind === "Pod" ? pods.get(`${address.targetRef.namespace ?? namespace}/${address.targetRef.name}`) : undefined;
      const hostname: string | undefined = address.hostname ?? (pod?.spec?.subdomain === service.metadata.name ? pod?.spec?.hostname : undefined);
      const endpointName = `${(hostname ?? dashedAddress(address.ip)).toLowerCase()}.${name}`;
      records.push({ name, type: "A", address: address.ip, ttlSeconds }, { name: endpointName, type: "A", address: address.ip, ttlSeconds });
      if (hostname) pointers.set(address.ip, endpointName);
      for (const port of subset.ports ?? []) {
        if (!port.name) continue;
        const weight = Math.max(1, Math.floor(100 / addresses.length));
        records.push({ name: srvName(port.name, port.protocol, name), type: "SRV", priority: 0, weight, port: port.port, target: endpointName, ttlSeconds });
      }
    }
  }
  return records;
}

function srvName(portName: string, protocol: string | undefined, serviceName: string): string {
  return `_${portName.toLowerCase()}._${(protocol ?? "TCP").toLowerCase()}.${serviceName}`;
}

/** `a-b-c-d.<ns>.pod.cluster.local` for every pod with an address. */
function podRecords(pod: StoredObject, pointers: Map<string, string>): DnsRecord[] {
  const ip: string | undefined = pod.status?.podIP;
  if (!ip || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return [];
  const name = `${dashedAddress(ip)}.${pod.metadata.namespace ?? "default"}.pod.${clusterDomain}`.toLowerCase();
  if (!pointers.has(ip)) pointers.set(ip, name);
  return [{ name, type: "A", address: ip, ttlSeconds: clusterTtlSeconds }];
}

/**
 * `fs-….efs.<region>.amazonaws.com`: the mount target of the asker's zone (nothing where the
 * file system has none, as on AWS); `<az>.fs-….efs.<region>.amazonaws.com`: that zone's one.
 */
function fileSystemRecords(mountTargets: StoredObject[], context: ClusterDnsContext): DnsRecord[] {
  const records: DnsRecord[] = [];
  for (const target of mountTargets) {
    const spec = target.spec ?? {};
    if (target.status?.lifeCycleState !== "available" || !spec.ipAddress || !spec.fileSystemId) continue;
    const subnet = context.subnets.find((item) => item.subnetId === spec.subnetId);
    const name = `${spec.fileSystemId}.efs.${context.region}.amazonaws.com`.toLowerCase();
    const zone = String(spec.availabilityZoneName ?? subnet?.availabilityZone ?? "").toLowerCase();
    if (subnet) records.push({ name, type: "A", address: spec.ipAddress, ttlSeconds: awsTtlSeconds, askerCidr: subnet.cidrBlock });
    if (zone) records.push({ name: `${zone}.${name}`, type: "A", address: spec.ipAddress, ttlSeconds: awsTtlSeconds });
  }
  return records;
}

function extraRecords(object: StoredObject): DnsRecord[] {
  const spec = (object.spec ?? {}) as Partial<DnsRecordSpec>;
  if (typeof spec.name !== "string" || !Array.isArray(spec.addresses)) return [];
  const name = spec.name.toLowerCase().replace(/\.$/, "");
  const ttlSeconds = spec.ttlSeconds ?? awsTtlSeconds;
  return spec.addresses.filter((address) => typeof address === "string").map((address) => ({ name, type: "A" as const, address, ttlSeconds }));
}
