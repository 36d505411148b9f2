// What authorizing and revoking share, for ingress and egress alike: the permissions a call
// gives (IpPermissions, or the older top-level CidrIp/IpProtocol/FromPort/ToPort and source
// group), checked against the group's rules, and the group written back in one transaction.

import {
  describeRule,
  type IpPermission,
  permissionsOf,
  type RuleRequest,
  rulesOf,
  sameRule,
  type SecurityGroupObject,
  type SecurityGroupRule,
  type UserIdGroupPair,
} from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error, newId } from "./_context.js";
import { ruleOutput } from "./_describe.js";
import { groupOfCall, listGroups, requireGroup } from "./_objects.js";

export interface RuleChangeInput {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: IpPermission[];
  CidrIp?: string;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  SourceSecurityGroupName?: string;
  SecurityGroupRuleIds?: string[];
}

type Direction = "ingress" | "egress";

/** The call's permissions, the older top-level members turned into one. */
function permissionsOfCall(input: RuleChangeInput): IpPermission[] {
  if (input.IpPermissions?.length) return input.IpPermissions;
  if (input.CidrIp === undefined && input.SourceSecurityGroupName === undefined && input.IpProtocol === undefined) return [];
  return [
    {
      IpProtocol: input.IpProtocol ?? "-1",
      ...(input.FromPort !== undefined ? { FromPort: input.FromPort } : {}),
      ...(input.ToPort !== undefined ? { ToPort: input.ToPort } : {}),
      ...(input.CidrIp !== undefined ? { IpRanges: [{ CidrIp: input.CidrIp }] } : {}),
      ...(input.SourceSecurityGroupName !== undefined ? { UserIdGroupPairs: [{ GroupName: input.SourceSecurityGroupName }] } : {}),
    },
  ];
}

function requestedRules(context: Ec2Context, group: SecurityGroupObject, permissions: IpPermission[]): RuleRequest[] {
  if (permissions.length === 0) throw ec2Error("Invalid", "MissingParameter", "The request must contain the parameter ipPermissions");
  const groupIdOf = (pair: UserIdGroupPair): string => {
    if (pair.GroupId) return requireGroup(context, pair.GroupId).metadata.name;
    const named = listGroups(context).find((candidate) => candidate.spec.vpcId === group.spec.vpcId && candidate.spec.groupName === pair.GroupName);
    if (!named) throw ec2Error("NotFound", "InvalidGroup.NotFound", `The security group '${pair.GroupName ?? ""}' does not exist`);
    return named.metadata.name;
  };
  return permissions.flatMap((permission) => rulesOf(permission, groupIdOf));
}

/** Adds the call's rules to the group; any one already there refuses the whole call. */
export function authorize(context: Ec2Context, call: CallContext, input: RuleChangeInput, direction: Direction) {
  return context.store.transaction(() => {
    const group = groupOfCall(context, input);
    const existing = group.spec[direction];
    const added: SecurityGroupRule[] = [];
    for (const request of requestedRules(context, group, permissionsOfCall(input))) {
      if ([...existing, ...added].some((rule) => sameRule(rule, request))) {
        throw ec2Error("AlreadyExists", "InvalidPermission.Duplicate", `the specified rule "${describeRule(request)}" already exists`);
      }
      added.push({ ruleId: newId(context, "sgr"), ...request });
    }
    context.store.update({ ...group, spec: { ...group.spec, [direction]: [...existing, ...added] } });
    return { Return: true, SecurityGroupRules: added.map((rule) => ruleOutput(context, call, group, rule, direction === "egress")) };
  });
}

/** Removes the rules the call names (by id or by permission); unknown permissions are reported back. */
export function revoke(context: Ec2Context, call: CallContext, input: RuleChangeInput, direction: Direction) {
  return context.store.transaction(() => {
    const group = groupOfCall(context, input);
    const existing = group.spec[direction];
    let removed: SecurityGroupRule[] = [];
    const unknown: RuleRequest[] = [];
    const unknownOther: IpPermission[] = [];
    if (input.SecurityGroupRuleIds?.length) {
      for (const id of input.SecurityGroupRuleIds) {
        const rule = existing.find((candidate) => candidate.ruleId === id);
        if (!rule) throw ec2Error("NotFound", "InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);
        removed.push(rule);
      }
    } else {
      // Moor's VPCs have no IPv6 and no prefix lists: rules for them never exist, so revoking
      // one (as Terraform does for a new group's default `::/0` egress) finds nothing.
      const permissions = permissionsOfCall(input);
      const ipv4 = permissions.filter((permission) => (permission.IpRanges?.length ?? 0) + (permission.UserIdGroupPairs?.length ?? 0) > 0);
      unknownOther.push(...permissions.filter((permission) => !ipv4.includes(permission)));
      const requests = ipv4.length > 0 || permissions.length === 0 ? requestedRules(context, group, ipv4.map((permission) => ({ ...permission, Ipv6Ranges: [], PrefixListIds: [] }))) : [];
      for (const request of requests) {
        const rule = existing.find((candidate) => sameRule(candidate, request));
        if (rule) removed.push(rule);
        else unknown.push(request);
      }
    }
    removed = [...new Set(removed)];
    context.store.update({ ...group, spec: { ...group.spec, [direction]: existing.filter((rule) => !removed.includes(rule)) } });
    const unknownPermissions = [...permissionsOf(unknown.map((rule, index) => ({ ...rule, ruleId: `unknown-${index}` })), context.accountId), ...unknownOther];
    return {
      Return: true,
      ...(unknownPermissions.length > 0 ? { UnknownIpPermissions: unknownPermissions } : {}),
      RevokedSecurityGroupRules: removed.map((rule) => {
        const { Tags: _tags, SecurityGroupRuleArn: _arn, GroupOwnerId: _owner, ...revoked } = ruleOutput(context, call, group, rule, direction === "egress");
        return { ...revoked, ...(rule.referencedGroupId ? { ReferencedGroupId: rule.referencedGroupId } : {}) };
      }),
    };
  });
}
