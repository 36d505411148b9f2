// A Service's cluster IP and node ports, allocated as upstream's registry does: cluster IPs from
// the service CIDR (10.100.0.0/16, as EKS uses; .1 is `kubernetes`, .10 is kept for kube-dns),
// node ports from 30000-32767. What is taken is derived from the stored Services, so a delete
// releases its addresses and a restart keeps them, with no allocator state of its own.

import { type FieldError, forbidden, invalidValue } from "./field-errors.js";

export const serviceCidr = "10.100.0.0/16";
/** The `kubernetes` Service's address. */
export const apiServiceIp = "10.100.0.1";
/** The kube-dns Service's address (EKS's), never handed out to a Service that does not ask for it. */
export const clusterDnsIp = "10.100.0.10";
export const nodePortFirst = 30000;
export const nodePortLast = 32767;

const cidrBase = (10 << 24) | (100 << 16);
const cidrSize = 1 << 16;

/** What other Services hold: their cluster IPs and node ports. */
export interface ServiceAllocations {
  clusterIps: ReadonlySet<string>;
  nodePorts: ReadonlySet<number>;
}

/** The addresses held by these Services (`except` names one to leave out, e.g. the one being updated). */
export function allocationsOf(services: readonly any[], except?: { namespace?: string; name: string }): ServiceAllocations {
  const clusterIps = new Set<string>();
  const nodePorts = new Set<number>();
  for (const service of services) {
    if (except && service.metadata?.name === except.name && service.metadata?.namespace === except.namespace) continue;
    for (const ip of [service.spec?.clusterIP, ...(service.spec?.clusterIPs ?? [])]) if (ip && ip !== "None") clusterIps.add(ip);
    for (const port of service.spec?.ports ?? []) if (Number.isInteger(port?.nodePort)) nodePorts.add(port.nodePort);
  }
  return { clusterIps, nodePorts };
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

function inServiceCidr(value: number): boolean {
  // The network and broadcast addresses are never allocated, as upstream's allocator.
  return value > cidrBase && value < cidrBase + cidrSize - 1;
}

function needsClusterIp(spec: any): boolean {
  return spec.type !== "ExternalName" && spec.clusterIP !== "None";
}

function needsNodePorts(spec: any): boolean {
  return spec.type === "NodePort" || spec.type === "LoadBalancer";
}

/**
 * Gives `service.spec` its cluster IP and node ports, honouring requested ones; returns the
 * field errors upstream reports for a taken or out-of-range request (then nothing is changed
 * that matters: the write is refused). `previous` is the stored Service on an update: what it
 * already holds is kept, and only what is new is allocated.
 */
export function allocateServiceAddresses(service: any, taken: ServiceAllocations, previous?: any): FieldError[] {
  const spec = (service.spec ??= {});
  const errors: FieldError[] = [];
  keepPrevious(spec, previous?.spec);
  if (spec.type === "ExternalName") {
    delete spec.clusterIPs;
    if (spec.clusterIP !== "None") delete spec.clusterIP;
  } else if (spec.clusterIP === "None") spec.clusterIPs = ["None"];
  if (needsClusterIp(spec)) allocateClusterIp(spec, taken, previous?.spec?.clusterIP, errors);
  allocateNodePorts(spec, taken, errors);
  return errors;
}

/** On update a PUT may leave out what the server allocated; upstream carries it over. */
function keepPrevious(spec: any, before: any): void {
  if (!before) return;
  if (spec.clusterIP === undefined && before.clusterIP && spec.type !== "ExternalName") {
    spec.clusterIP = before.clusterIP;
    spec.clusterIPs ??= before.clusterIPs;
  }
  if (!needsNodePorts(spec)) return;
  for (const port of spec.ports ?? []) {
    if (port.nodePort !== undefined) continue;
    const old = (before.ports ?? []).find((item: any) => item.port === port.port && (item.protocol ?? "TCP") === (port.protocol ?? "TCP"));
    if (old?.nodePort) port.nodePort = old.nodePort;
  }
}

function allocateClusterIp(spec: any, taken: ServiceAllocations, held: string | undefined, errors: FieldError[]): void {
  const requested: string | undefined = spec.clusterIP ?? spec.clusterIPs?.[0];
  if (requested) {
    const value = ipToNumber(requested);
    if (value === undefined) {
      errors.push(invalidValue("spec.clusterIPs[0]", requested, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
      return;
    }
    if (requested !== held) {
      const failure = !inServiceCidr(value)
        ? `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${serviceCidr}`
        : taken.clusterIps.has(requested)
          ? "provided IP is already allocated"
          : undefined;
      if (failure) {
        errors.push(invalidValue("spec.clusterIPs", [requested], `failed to allocate IP ${requested}: ${failure}`));
        return;
      }
    }
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
    return;
  }
  const found = freeClusterIp(taken);
  if (!found) {
    errors.push(invalidValue("spec.clusterIPs", [], `failed to allocate IP: range is full`));
    return;
  }
  spec.clusterIP = found;
  spec.clusterIPs = [found];
}

/** The lowest free address past the ones EKS keeps (.1 to .10). */
function freeClusterIp(taken: ServiceAllocations): string | undefined {
  for (let offset = 11; offset < cidrSize - 1; offset++) {
    const candidate = numberToIp(cidrBase + offset);
    if (!taken.clusterIps.has(candidate)) return candidate;
  }
  return undefined;
}

function allocateNodePorts(spec: any, taken: ServiceAllocations, errors: FieldError[]): void {
  const ports: any[] = spec.ports ?? [];
  if (!needsNodePorts(spec)) {
    ports.forEach((port, index) => {
      if (port?.nodePort !== undefined && port.nodePort !== 0) {
        errors.push(forbidden(`spec.ports[${index}].nodePort`, `may not be used when \`type\` is '${spec.type ?? "ClusterIP"}'`));
      }
    });
    return;
  }
  // Ports of this Service may share a node port across protocols, as upstream allows.
  const mine = new Map<number, string>();
  ports.forEach((port, index) => {
    if (port?.nodePort === undefined || port.nodePort === 0) return;
    const value = port.nodePort;
    const protocol = port.protocol ?? "TCP";
    const at = `spec.ports[${index}].nodePort`;
    if (!Number.isInteger(value) || value < nodePortFirst || value > nodePortLast) {
      errors.push(invalidValue(at, value, `provided port is not in the valid range. The range of valid ports is ${nodePortFirst}-${nodePortLast}`));
    } else if (taken.nodePorts.has(value) || mine.get(value) === protocol) {
      errors.push(invalidValue(at, value, "provided port is already allocated"));
    } else mine.set(value, protocol);
  });
  let next = nodePortFirst;
  for (const port of ports) {
    if (port && (port.nodePort === undefined || port.nodePort === 0)) {
      while (next <= nodePortLast && (taken.nodePorts.has(next) || mine.has(next))) next++;
      if (next > nodePortLast) {
        errors.push(invalidValue("spec.ports", port.port, "failed to allocate a nodePort: range is full"));
        return;
      }
      port.nodePort = next;
      mine.set(next, port.protocol ?? "TCP");
    }
  }
}
