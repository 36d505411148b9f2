// EC2's IpPermissions (a protocol and port range with lists of peers) to and from Moor's rules
// (one peer each), and the checks AWS makes on them: protocol names and numbers, port ranges
// that fit the protocol, CIDR blocks.

import { invalid } from "../../errors/mod.js";
import type { SecurityGroupRule } from "./_model.js";

export interface IpRange {
  CidrIp?: string;
  Description?: string;
}

export interface UserIdGroupPair {
  GroupId?: string;
  GroupName?: string;
  UserId?: string;
  VpcId?: string;
  Description?: string;
}

export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: IpRange[];
  UserIdGroupPairs?: UserIdGroupPair[];
  Ipv6Ranges?: unknown[];
  PrefixListIds?: unknown[];
}

/** A rule without its id: what a permission asks for before the rules are stored. */
export type RuleRequest = Omit<SecurityGroupRule, "ruleId">;

const protocolNames: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" };

function parameterError(message: string) {
  return invalid(message, { code: "InvalidParameterValue" });
}

/** "tcp", "TCP", "6" → "tcp"; "all", "-1" → "-1"; other numbers 0-255 stay numbers. */
export function normalizeProtocol(protocol: string | undefined): string {
  const lower = (protocol ?? "").trim().toLowerCase();
  const named = protocolNames[lower] ?? lower;
  if (["tcp", "udp", "icmp", "-1"].includes(named)) return named;
  if (/^\d+$/.test(named) && Number(named) <= 255) return named;
  throw parameterError(`Invalid value '${protocol ?? ""}' for IP protocol. Unknown protocol.`);
}

export function parseCidr(cidr: string): { base: number; prefixLength: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) return undefined;
  const parts = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (parts.some((part) => part > 255) || prefixLength > 32) return undefined;
  const value = parts.reduce((sum, part) => sum * 256 + part, 0);
  const size = 2 ** (32 - prefixLength);
  return { base: value - (value % size), prefixLength };
}

/** Whether the dotted address lies inside the CIDR block. */
export function cidrContains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const address = parseCidr(`${ip}/32`);
  if (!block || !address) return false;
  return address.base >= block.base && address.base < block.base + 2 ** (32 - block.prefixLength);
}

function portRange(protocol: string, permission: IpPermission): { fromPort: number; toPort: number } {
  if (protocol !== "tcp" && protocol !== "udp" && protocol !== "icmp") return { fromPort: -1, toPort: -1 };
  const fromPort = permission.FromPort ?? -1;
  const toPort = permission.ToPort ?? -1;
  if (protocol === "icmp") return { fromPort, toPort };
  const valid = (port: number) => Number.isInteger(port) && port >= 0 && port <= 65535;
  if (!valid(fromPort) || !valid(toPort) || fromPort > toPort) {
    throw parameterError(`Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`);
  }
  return { fromPort, toPort };
}

/**
 * The rules one permission asks for, one per peer. Groups named by GroupName are looked up by
 * `groupIdOf`; a permission without peers is refused as AWS refuses it.
 */
export function rulesOf(permission: IpPermission, groupIdOf: (pair: UserIdGroupPair) => string): RuleRequest[] {
  if ((permission.Ipv6Ranges?.length ?? 0) > 0 || (permission.PrefixListIds?.length ?? 0) > 0) {
    throw invalid("Cannot authorize the rule: IPv6 ranges and prefix lists are not supported in Moor's VPC", { code: "InvalidParameterValue" });
  }
  const protocol = normalizeProtocol(permission.IpProtocol);
  const ports = { protocol, ...portRange(protocol, permission) };
  const rules: RuleRequest[] = [];
  for (const range of permission.IpRanges ?? []) {
    const cidr = range.CidrIp ?? "";
    if (!parseCidr(cidr)) throw parameterError(`CIDR block ${cidr} is malformed`);
    rules.push({ ...ports, cidrIpv4: cidr.trim(), ...(range.Description ? { description: range.Description } : {}) });
  }
  for (const pair of permission.UserIdGroupPairs ?? []) {
    rules.push({ ...ports, referencedGroupId: groupIdOf(pair), ...(pair.Description ? { description: pair.Description } : {}) });
  }
  if (rules.length === 0) throw invalid("The request must contain the parameter ipPermissions", { code: "MissingParameter" });
  return rules;
}

/** Two rules allow the same traffic from the same peer (descriptions do not count). */
export function sameRule(a: RuleRequest, b: RuleRequest): boolean {
  return a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.cidrIpv4 === b.cidrIpv4 && a.referencedGroupId === b.referencedGroupId;
}

/** AWS's words for a rule in InvalidPermission.Duplicate and .NotFound messages. */
export function describeRule(rule: RuleRequest): string {
  const peer = rule.cidrIpv4 ?? rule.referencedGroupId ?? "";
  const protocol = rule.protocol === "-1" ? "ALL" : rule.protocol.toUpperCase();
  return `peer: ${peer}, ${protocol}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
}

/** Rules grouped back into EC2's IpPermissions: one per protocol and port range. */
export function permissionsOf(rules: readonly SecurityGroupRule[], accountId: string): IpPermission[] {
  const permissions = new Map<string, Required<Pick<IpPermission, "IpRanges" | "UserIdGroupPairs">> & IpPermission>();
  for (const rule of rules) {
    const key = `${rule.protocol}/${rule.fromPort}/${rule.toPort}`;
    let permission = permissions.get(key);
    if (!permission) {
      permission = {
        IpProtocol: rule.protocol,
        ...(rule.protocol === "-1" || !["tcp", "udp", "icmp"].includes(rule.protocol) ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort }),
        IpRanges: [],
        UserIdGroupPairs: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      };
      permissions.set(key, permission);
    }
    const description = rule.description ? { Description: rule.description } : {};
    if (rule.cidrIpv4) permission.IpRanges.push({ CidrIp: rule.cidrIpv4, ...description });
    if (rule.referencedGroupId) permission.UserIdGroupPairs.push({ GroupId: rule.referencedGroupId, UserId: accountId, ...description });
  }
  return [...permissions.values()];
}
