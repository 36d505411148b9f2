// DescribeSecurityGroupRules: every rule of every group, one per peer; by ids (each must exist)
// and by the filters group-id and security-group-rule-id.

import type { CallContext, Ec2Context } from "./_context.js";
import { ec2Error } from "./_context.js";
import { ruleOutput } from "./_describe.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listGroups } from "./_objects.js";

export interface DescribeSecurityGroupRulesInput {
  SecurityGroupRuleIds?: string[];
  Filters?: Filter[];
}

export function describeSecurityGroupRules(context: Ec2Context, input: DescribeSecurityGroupRulesInput, call: CallContext) {
  const rules = listGroups(context).flatMap((group) => [
    ...group.spec.ingress.map((rule) => ruleOutput(context, call, group, rule, false)),
    ...group.spec.egress.map((rule) => ruleOutput(context, call, group, rule, true)),
  ]);
  let chosen = rules;
  if (input.SecurityGroupRuleIds?.length) {
    chosen = input.SecurityGroupRuleIds.map((id) => {
      const found = rules.find((rule) => rule.SecurityGroupRuleId === id);
      if (!found) throw ec2Error("NotFound", "InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);
      return found;
    });
  }
  const field = (rule: (typeof rules)[number], name: string) => {
    if (name === "group-id") return rule.GroupId;
    if (name === "security-group-rule-id") return rule.SecurityGroupRuleId;
    return undefined;
  };
  return { SecurityGroupRules: applyFilters(chosen, input.Filters, field, (rule) => rule.Tags) };
}
