// The records cluster DNS serves, as plain data: what the zone answers from and what the DNS
// engine is fed. Names are lower case without the final dot. An A record may be scoped to the
// askers of one address block (`askerCidr`): an EFS file system's name answers each zone with
// the mount target of that zone, as Route 53 Resolver does inside a VPC.

export type DnsRecord =
  | { name: string; type: "A"; address: string; ttlSeconds: number; askerCidr?: string }
  | { name: string; type: "CNAME"; target: string; ttlSeconds: number }
  | { name: string; type: "PTR"; target: string; ttlSeconds: number }
  | { name: string; type: "SRV"; priority: number; weight: number; port: number; target: string; ttlSeconds: number };

export type DnsRecordType = DnsRecord["type"];

/** The cluster domain, as on EKS. */
export const clusterDomain = "cluster.local";
/** Seconds a cluster answer may be cached (CoreDNS's kubernetes plugin default). */
export const clusterTtlSeconds = 5;
/** Seconds an AWS name may be cached (Route 53 Resolver answers EFS names with 60). */
export const awsTtlSeconds = 60;

/** The reverse-lookup name of an IPv4 address: "10.42.0.5" → "5.0.42.10.in-addr.arpa". */
export function reverseName(ip: string): string {
  return `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
}

/** A name as the zone keys it: lower case, no final dot. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** "10.42.0.5" → "10-42-0-5", the label upstream gives pods and unnamed endpoints. */
export function dashedAddress(ip: string): string {
  return ip.replaceAll(".", "-");
}

export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** Whether an IPv4 address lies in a block ("10.42.16.0/20"). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base = "", bits = "32"] = cidr.split("/");
  const start = ipv4ToNumber(base);
  const value = ipv4ToNumber(ip);
  if (start === undefined || value === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(start / size) * size;
  return value >= first && value < first + size;
}
