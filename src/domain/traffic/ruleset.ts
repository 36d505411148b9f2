// Services as kernel packet rules, as kube-proxy's nftables mode writes them: one table of Moor's
// own in the VPC network namespace. A verdict map sends `cluster IP . protocol . port` (and, on a
// node address, `protocol . node port`) to the Service port's chain, which picks an endpoint at
// random (`numgen random`) or, with `sessionAffinity: ClientIP`, the one this client used last
// (a set per endpoint keyed by source address, with the affinity timeout); the endpoint's chain
// DNATs to the pod. A pod reaching itself through its Service is masqueraded (hairpin), and a
// Service port with no endpoint is rejected at once (TCP reset, ICMP port unreachable otherwise).
//
// Input: the stored Services and EndpointSlices and the nodes' addresses. Output: a model of the
// table (chains and sets with their contents); `nftCommands` turns two models into the
// commands that change one into the other.

import { shortHash } from "./endpoints.js";
import type { NftChain, NftRuleset, NftSet } from "./nft.js";

export const servicesTable = "moor_services";
/** The packet mark that asks the postrouting chain to masquerade (kube-proxy's bit). */
const masqueradeMark = "0x00004000";
const defaultAffinitySeconds = 10800;

export interface ServicesInput {
  services: readonly any[];
  slices: readonly any[];
  nodeIps: readonly string[];
}

interface Target {
  ip: string;
  port: number;
}

const protocols: Record<string, string> = { TCP: "tcp", UDP: "udp", SCTP: "sctp" };

function baseChains(): NftChain[] {
  return [
    { name: "filter-prerouting", hook: "type filter hook prerouting priority dstnat - 10; policy accept;", rules: [
      "ct state new ip daddr . meta l4proto . th dport vmap @no-endpoint-services",
      "ct state new ip daddr @node-ips meta l4proto . th dport vmap @no-endpoint-nodeports",
    ] },
    { name: "nat-prerouting", hook: "type nat hook prerouting priority dstnat; policy accept;", rules: ["jump services"] },
    { name: "nat-output", hook: "type nat hook output priority -100; policy accept;", rules: ["jump services"] },
    { name: "nat-postrouting", hook: "type nat hook postrouting priority srcnat; policy accept;", rules: [`meta mark & ${masqueradeMark} == ${masqueradeMark} masquerade`] },
    { name: "services", rules: ["ip daddr . meta l4proto . th dport vmap @service-ips", "ip daddr @node-ips meta l4proto . th dport vmap @service-nodeports"] },
    { name: "mark-for-masquerade", rules: [`meta mark set meta mark | ${masqueradeMark}`] },
    { name: "reject-chain", rules: ["meta l4proto tcp reject with tcp reset", "reject"] },
  ];
}

/** Where a Service port's traffic goes: ready endpoints, or serving terminating ones when none is ready. */
export function serviceTargets(service: any, port: any, slices: readonly any[]): Target[] {
  const mine = slices.filter(
    (slice) => slice.metadata?.namespace === service.metadata.namespace && slice.metadata?.labels?.["kubernetes.io/service-name"] === service.metadata.name,
  );
  const ready: Target[] = [];
  const fallback: Target[] = [];
  const protocol = port.protocol ?? "TCP";
  for (const slice of mine) {
    const match = (slice.ports ?? []).find((item: any) => (item.name ?? "") === (port.name ?? "") && (item.protocol ?? "TCP") === protocol);
    if (!match?.port) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const conditions = endpoint.conditions ?? {};
      const targets = (endpoint.addresses ?? []).map((ip: string) => ({ ip, port: match.port }));
      // An unset ready condition means ready, as the EndpointSlice API says.
      if (conditions.ready !== false) ready.push(...targets);
      else if (conditions.serving === true && conditions.terminating === true) fallback.push(...targets);
    }
  }
  const chosen = ready.length > 0 ? ready : fallback;
  const seen = new Set<string>();
  return chosen.filter((target) => !seen.has(`${target.ip}:${target.port}`) && seen.add(`${target.ip}:${target.port}`));
}

function affinitySeconds(service: any): number | undefined {
  if (service.spec?.sessionAffinity !== "ClientIP") return undefined;
  return service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinitySeconds;
}

/** The chains and sets of one Service port with endpoints. */
function servicePortRules(service: any, port: any, targets: Target[]): { chain: NftChain; endpoints: NftChain[]; sets: NftSet[] } {
  const protocol = protocols[port.protocol ?? "TCP"]!;
  const label = `${service.metadata.namespace}/${service.metadata.name}/${protocol}/${port.name ?? ""}`;
  const timeout = affinitySeconds(service);
  const chain: NftChain = { name: `service-${shortHash(label, 8)}-${label}`, rules: [] };
  const endpoints: NftChain[] = [];
  const sets: NftSet[] = [];
  for (const target of targets) {
    const id = `${label}__${target.ip}/${target.port}`;
    const name = `endpoint-${shortHash(id, 8)}-${id}`;
    const rules = [`ip saddr ${target.ip} jump mark-for-masquerade`];
    if (timeout !== undefined) {
      // The timeout is part of the set's name: a new timeout is a new set, never an altered one.
      const set = `affinity-${shortHash(`${id}/${timeout}`, 8)}-${id}`;
      sets.push({ name: set, kind: "set", declaration: `type ipv4_addr; flags dynamic,timeout; timeout ${timeout}s;` });
      chain.rules.push(`ip saddr @${set} goto ${name}`);
      rules.push(`update @${set} { ip saddr }`);
    }
    rules.push(`meta l4proto ${protocol} dnat to ${target.ip}:${target.port}`);
    endpoints.push({ name, rules });
  }
  const choices = endpoints.map((endpoint, index) => `${index} : goto ${endpoint.name}`).join(", ");
  chain.rules.push(endpoints.length === 1 ? `goto ${endpoints[0]!.name}` : `numgen random mod ${endpoints.length} vmap { ${choices} }`);
  return { chain, endpoints, sets };
}

/** The whole table for these Services, EndpointSlices and node addresses. */
export function servicesRuleset(input: ServicesInput): NftRuleset {
  const chains = baseChains();
  const sets: NftSet[] = [];
  const serviceIps: string[] = [];
  const nodePorts: string[] = [];
  const noEndpointIps: string[] = [];
  const noEndpointNodePorts: string[] = [];
  for (const service of input.services) {
    const clusterIp: string | undefined = service.spec?.clusterIP;
    if (!clusterIp || clusterIp === "None" || service.spec?.type === "ExternalName") continue;
    for (const port of service.spec?.ports ?? []) {
      const protocol = protocols[port.protocol ?? "TCP"];
      if (!protocol) continue;
      const targets = serviceTargets(service, port, input.slices);
      if (targets.length === 0) {
        noEndpointIps.push(`${clusterIp} . ${protocol} . ${port.port} : goto reject-chain`);
        if (port.nodePort) noEndpointNodePorts.push(`${protocol} . ${port.nodePort} : goto reject-chain`);
        continue;
      }
      const rules = servicePortRules(service, port, targets);
      chains.push(rules.chain, ...rules.endpoints);
      sets.push(...rules.sets);
      serviceIps.push(`${clusterIp} . ${protocol} . ${port.port} : goto ${rules.chain.name}`);
      if (port.nodePort) nodePorts.push(`${protocol} . ${port.nodePort} : goto ${rules.chain.name}`);
    }
  }
  const addressKey = "type ipv4_addr . inet_proto . inet_service : verdict;";
  const portKey = "type inet_proto . inet_service : verdict;";
  sets.unshift(
    { name: "node-ips", kind: "set", declaration: "type ipv4_addr;", elements: [...new Set(input.nodeIps)].sort() },
    { name: "service-ips", kind: "map", declaration: addressKey, elements: serviceIps },
    { name: "service-nodeports", kind: "map", declaration: portKey, elements: nodePorts },
    { name: "no-endpoint-services", kind: "map", declaration: addressKey, elements: noEndpointIps },
    { name: "no-endpoint-nodeports", kind: "map", declaration: portKey, elements: noEndpointNodePorts },
  );
  return { table: servicesTable, sets, chains };
}
