// Security groups as nftables rules: one table (`inet moor_sg`) for the VPC's network namespace,
// replaced whole in one transaction. Its forward chain lets established and related traffic
// through (groups are stateful), and sends every packet bound for an interface Moor knows to
// that interface's chain, which accepts what one of its groups' ingress rules allows and
// refuses the rest at once (a TCP reset, an ICMP unreachable): where AWS would let a connection
// hang, Moor answers. Addresses with no interface (the gateways) are left alone; so is egress.

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

function sourceMatch(rule: SecurityGroupRule, membersOf: (groupId: string) => string[]): string | undefined {
  if (rule.cidrIpv4 !== undefined) return rule.cidrIpv4 === "0.0.0.0/0" ? "" : `ip saddr ${rule.cidrIpv4}`;
  const members = membersOf(rule.referencedGroupId ?? "");
  if (members.length === 0) return undefined; // A group with no members admits nobody.
  return `ip saddr { ${members.join(", ")} }`;
}

function chainName(networkInterface: NetworkInterface): string {
  return `in_${networkInterface.networkInterfaceId.replace(/[^a-z0-9]/gi, "_")}`;
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
    ...[...owners.values()].map((owner) => `    ip daddr ${owner.ip} jump ${chainName(owner)}`),
    "  }",
  ];
  for (const owner of owners.values()) {
    lines.push(`  chain ${chainName(owner)} {`);
    for (const groupId of owner.securityGroupIds) {
      for (const rule of byId.get(groupId)?.spec.ingress ?? []) {
        const source = sourceMatch(rule, membersOf);
        const protocol = protocolMatch(rule);
        if (source === undefined || protocol === undefined) continue;
        lines.push(`    ${[source, protocol, "accept"].filter(Boolean).join(" ")}`);
      }
    }
    lines.push("    meta l4proto tcp reject with tcp reset", "    reject", "  }");
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
