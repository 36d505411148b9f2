// Load balancer names and DNS names in the shapes the AWS Load Balancer Controller and ELB give
// them. The hash is passed in (sha256 as lowercase hex) so this stays free of I/O and crypto.

export type Sha256Hex = (text: string) => string;
export type Scheme = "internal" | "internet-facing";

/** Namespace and object names lose every non-alphanumeric character and keep 8 characters. */
function namePart(value: string): string {
  return value.replace(/[^a-zA-Z0-9]/g, "").slice(0, 8);
}

/**
 * The ALB name the LBC generates for an Ingress in its implicit group:
 * `k8s-<ns8>-<name8>-<first 10 hex of sha256(clusterName, "ns/name", scheme)>`.
 */
export function ingressLoadBalancerName(sha256: Sha256Hex, clusterName: string, namespace: string, name: string, scheme: Scheme): string {
  const hash = sha256(`${clusterName}${namespace}/${name}${scheme}`).slice(0, 10);
  return `k8s-${namePart(namespace)}-${namePart(name)}-${hash}`;
}

/** The NLB name the LBC generates for a Service: the hash covers the Service's UID instead. */
export function serviceLoadBalancerName(sha256: Sha256Hex, clusterName: string, service: { namespace: string; name: string; uid: string }, scheme: Scheme): string {
  const hash = sha256(`${clusterName}${service.uid}${scheme}`).slice(0, 10);
  return `k8s-${namePart(service.namespace)}-${namePart(service.name)}-${hash}`;
}

/**
 * An ALB's DNS name: `[internal-]<name>-<decimal>.<region>.elb.amazonaws.com`. AWS draws the
 * number at random; here it comes from the name, so it stays the same across restarts.
 */
export function applicationDnsName(sha256: Sha256Hex, name: string, scheme: Scheme, region: string): string {
  const digits = String(Number.parseInt(sha256(`dns:${name}`).slice(0, 8), 16) % 9_000_000_000 + 1_000_000_000);
  return `${scheme === "internal" ? "internal-" : ""}${name}-${digits}.${region}.elb.amazonaws.com`;
}

/** An NLB's DNS name: `<name>-<16 hex>.elb.<region>.amazonaws.com`. */
export function networkDnsName(sha256: Sha256Hex, name: string, region: string): string {
  return `${name}-${sha256(`dns:${name}`).slice(0, 16)}.elb.${region}.amazonaws.com`;
}

/**
 * The host loopback address of a load balancer: 127.<a>.<b>.<index>, where a (64-191) and b come
 * from the data directory's digest, so concurrent Moors on one host use disjoint blocks, and
 * `index` (1-254) is the load balancer's slot in this Moor.
 */
export function loopbackAddress(homeDigestHex: string, index: number): string {
  const value = Number.parseInt(homeDigestHex.slice(0, 4), 16);
  return `127.${64 + ((value >> 8) % 128)}.${value & 255}.${index}`;
}

export const loopbackSlotsMax = 254;

/**
 * The same load balancer's address inside the VPC, which pods reach and cluster DNS answers its
 * name with: 10.42.255.<index>, in the embedded VPC's block but above its three subnets (10.42.0.0
 * to 10.42.47.255), where no pod, node or mount target address is ever drawn.
 */
export function vpcAddress(index: number): string {
  return `10.42.255.${index}`;
}

/** The slot a load balancer's host loopback address stands for (its last byte). */
export function loopbackSlot(address: string): number {
  return Number(address.split(".")[3]);
}
