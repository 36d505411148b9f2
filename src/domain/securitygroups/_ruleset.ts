// Security groups as nftables rules: one table (`inet moor_sg`) for the VPC's network namespace,
// replaced whole in one transaction. Its forward chain lets established and related traffic
// through (groups are stateful), and sends every packet bound for an interface Moor knows to
// that interface's chain, which accepts what one of its groups' ingress rules allows and
// refuses the rest at once (a TCP reset, an ICMP unreachable): where AWS would let a connection
// hang, Moor answers. A packet from an interface Moor knows first passes that interface's egress
// chain the same way. Addresses with no interface (the gateways) are left alone.

import type { NetworkInterface, SecurityGroupObject, SecurityGroupRule } from "./_model.js";

export const rulesetTable = "moor_sg";

function protocolMatch(rule: SecurityGroupRule): string | undefined {
  const { protocol, fromPort, toPort } = rule;
  if (protocol === "-1") return "";
  if (protocol === "tcp" || protocol === "udp") {
    if (fromPort <= 0 && toPort >= 65535) return `meta l4proto ${protocol}`;
    return `${protocol} dport ${fromPort === toPort ? fromPort : `${fromPort}-${toPort}`}`;
  }
  if (protocol === "icmp") {
    if (fromPort === -1) return "meta l4proto icmp";
    return `icmp type ${fromPort}${toPort === -1 ? "" : ` icmp code ${toPort}`}`;
  }
  return `meta l4proto ${Number(protocol)}`;
}

type Direction = "in" | "out";

/** The peer: the source of an ingress rule, the destination of an egress one. */
function peerMatch(rule: SecurityGroupRule, direction: Direction, membersOf: (groupId: string) => string[]): string | undefined {
  const field = direction === "in" ? "ip saddr" : "ip daddr";
  if (rule.cidrIpv4 !== undefined) return rule.cidrIpv4 === "0.0.0.0/0" ? "" : `${field} ${rule.cidrIpv4}`;
  const members = membersOf(rule.referencedGroupId ?? "");
  if (members.length === 0) return undefined; // A group with no members matches nobody.
  return `${field} { ${members.join(", ")} }`;
}

function chainName(networkInterface: NetworkInterface, direction: Direction): string {
  return `${direction}_${networkInterface.networkInterfaceId.replace(/[^a-z0-9]/gi, "_")}`;
}

/**
 * One interface's chain for one direction: a packet a rule allows goes on (ingress: accepted;
 * egress: back to the forward chain for the destination's ingress check); the rest is refused.
 */
function chainOf(owner: NetworkInterface, direction: Direction, groups: ReadonlyMap<string, SecurityGroupObject>, membersOf: (groupId: string) => string[]): string[] {
  const verdict = direction === "in" ? "accept" : "return";
  const lines = [`  chain ${chainName(owner, direction)} {`];
  for (const groupId of owner.securityGroupIds) {
    const group = groups.get(groupId);
    for (const rule of (direction === "in" ? group?.spec.ingress : group?.spec.egress) ?? []) {
      const peer = peerMatch(rule, direction, membersOf);
      const protocol = protocolMatch(rule);
      if (peer === undefined || protocol === undefined) continue;
      lines.push(`    ${[peer, protocol, verdict].filter(Boolean).join(" ")}`);
    }
  }
  lines.push("    meta l4proto tcp reject with tcp reset", "    reject", "  }");
  return lines;
}

/** The whole table as `nft -f` text: creating it, emptying it and filling it is one transaction. */
export function renderRuleset(groups: readonly SecurityGroupObject[], interfaces: readonly NetworkInterface[]): string {
  const byId = new Map(groups.map((group) => [group.metadata.name, group]));
  const members = new Map<string, string[]>();
  for (const networkInterface of interfaces) {
    for (const groupId of networkInterface.securityGroupIds) members.set(groupId, [...(members.get(groupId) ?? []), networkInterface.ip]);
  }
  const membersOf = (groupId: string) => [...new Set(members.get(groupId) ?? [])].sort();
  // One interface per address: the first one listed owns it.
  const owners = new Map<string, NetworkInterface>();
  for (const networkInterface of interfaces) if (!owners.has(networkInterface.ip)) owners.set(networkInterface.ip, networkInterface);
  const lines = [
    `table inet ${rulesetTable}`,
    `delete table inet ${rulesetTable}`,
    `table inet ${rulesetTable} {`,
    "  chain forward {",
    "    type filter hook forward priority filter; policy accept;",
    "    ct state established,related accept",
    ...[...owners.values()].map((owner) => `    ip saddr ${owner.ip} jump ${chainName(owner, "out")}`),
    ...[...owners.values()].map((owner) => `    ip daddr ${owner.ip} jump ${chainName(owner, "in")}`),
    "  }",
  ];
  for (const owner of owners.values()) lines.push(...chainOf(owner, "out", byId, membersOf), ...chainOf(owner, "in", byId, membersOf));
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
