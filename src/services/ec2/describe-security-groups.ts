// DescribeSecurityGroups: by ids (each must exist), by names (in the embedded VPC, EC2's "default
// VPC"), and by filters such as vpc-id and group-name.

import type { SecurityGroupObject } from "../../domain/securitygroups/mod.js";
import type { CallContext, Ec2Context } from "./_context.js";
import { groupOutput } from "./_describe.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listGroups, requireGroup, requireGroupNamed } from "./_objects.js";

export interface DescribeSecurityGroupsInput {
  GroupIds?: string[];
  GroupNames?: string[];
  Filters?: Filter[];
}

function field(group: SecurityGroupObject, name: string): string | string[] | undefined {
  const rules = (egress: boolean) => (egress ? group.spec.egress : group.spec.ingress);
  const fields: Record<string, () => string | string[]> = {
    "group-id": () => group.metadata.name,
    "group-name": () => group.spec.groupName,
    description: () => group.spec.description,
    "vpc-id": () => group.spec.vpcId,
    "owner-id": () => group.spec.ownerId,
    "ip-permission.protocol": () => rules(false).map((rule) => rule.protocol),
    "ip-permission.from-port": () => rules(false).map((rule) => String(rule.fromPort)),
    "ip-permission.to-port": () => rules(false).map((rule) => String(rule.toPort)),
    "ip-permission.cidr": () => rules(false).flatMap((rule) => (rule.cidrIpv4 ? [rule.cidrIpv4] : [])),
    "ip-permission.group-id": () => rules(false).flatMap((rule) => (rule.referencedGroupId ? [rule.referencedGroupId] : [])),
    "egress.ip-permission.cidr": () => rules(true).flatMap((rule) => (rule.cidrIpv4 ? [rule.cidrIpv4] : [])),
  };
  return fields[name]?.();
}

export function describeSecurityGroups(context: Ec2Context, input: DescribeSecurityGroupsInput, call: CallContext) {
  let groups = listGroups(context);
  if (input.GroupIds?.length || input.GroupNames?.length) {
    groups = [...(input.GroupIds ?? []).map((id) => requireGroup(context, id)), ...(input.GroupNames ?? []).map((name) => requireGroupNamed(context, name))];
  }
  return { SecurityGroups: applyFilters(groups, input.Filters, field, (group) => group.spec.tags).map((group) => groupOutput(call, group)) };
}
