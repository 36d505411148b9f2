// Whether a destination's groups let a packet in, and a source's let it out: the questions the
// mount check asks (TCP 2049 from a pod into a mount target) and the datapath's packet rules
// answer for every packet.

import { cidrContains } from "./_permissions.js";
import type { SecurityGroupObject, SecurityGroupRule } from "./_model.js";

export interface PacketSource {
  ip: string;
  securityGroupIds: readonly string[];
}

export interface Packet {
  protocol: "tcp" | "udp" | "icmp";
  port: number;
}

function portMatches(rule: SecurityGroupRule, packet: Packet): boolean {
  if (rule.protocol === "-1") return true;
  if (rule.protocol !== packet.protocol) return false;
  if (packet.protocol === "icmp") return rule.fromPort === -1 || rule.fromPort === packet.port;
  return packet.port >= rule.fromPort && packet.port <= rule.toPort;
}

function peerMatches(rule: SecurityGroupRule, source: PacketSource): boolean {
  if (rule.cidrIpv4 !== undefined) return cidrContains(rule.cidrIpv4, source.ip);
  return rule.referencedGroupId !== undefined && source.securityGroupIds.includes(rule.referencedGroupId);
}

/** The first of `groups` whose ingress rules let the packet in from the source, if any. */
export function admittingGroup(groups: readonly SecurityGroupObject[], source: PacketSource, packet: Packet): SecurityGroupObject | undefined {
  return groups.find((group) => group.spec.ingress.some((rule) => portMatches(rule, packet) && peerMatches(rule, source)));
}

/** The first of `groups` whose egress rules let the packet out to the destination, if any. */
export function releasingGroup(groups: readonly SecurityGroupObject[], destination: PacketSource, packet: Packet): SecurityGroupObject | undefined {
  return groups.find((group) => group.spec.egress.some((rule) => portMatches(rule, packet) && peerMatches(rule, destination)));
}
