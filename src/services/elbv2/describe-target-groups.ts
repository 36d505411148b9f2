// DescribeTargetGroups: by TargetGroupArns, Names, or a LoadBalancerArn (the groups its listeners
// forward to), or all of them. A named group that does not exist is TargetGroupNotFound.

import { describeTargetGroup } from "./_describe.js";
import { allOf, elbError, type Elbv2Context, listenersForwardingTo, loadBalancerByArn, targetGroupKind, type TargetGroupSpec, type Stored } from "./_context.js";

export interface DescribeTargetGroupsInput {
  TargetGroupArns?: string[];
  Names?: string[];
  LoadBalancerArn?: string;
}

/** The load balancers whose listeners forward to the group. */
export function loadBalancerArnsOf(context: Elbv2Context, targetGroupArn: string): string[] {
  return [...new Set(listenersForwardingTo(context, targetGroupArn).map((listener) => listener.spec.loadBalancerArn))];
}

export function describeTargetGroups(context: Elbv2Context, input: DescribeTargetGroupsInput) {
  const all = allOf<TargetGroupSpec>(context, targetGroupKind);
  let chosen: Stored<TargetGroupSpec>[] = all;
  if (input.TargetGroupArns?.length) {
    chosen = input.TargetGroupArns.map((arn) => {
      const found = all.find((item) => item.spec.arn === arn);
      if (!found) throw elbError("NotFound", "TargetGroupNotFound", `One or more target groups not found`);
      return found;
    });
  } else if (input.Names?.length) {
    chosen = input.Names.map((name) => {
      const found = all.find((item) => item.metadata.name === name);
      if (!found) throw elbError("NotFound", "TargetGroupNotFound", `One or more target groups not found`);
      return found;
    });
  } else if (input.LoadBalancerArn) {
    loadBalancerByArn(context, input.LoadBalancerArn);
    chosen = all.filter((item) => loadBalancerArnsOf(context, item.spec.arn).includes(input.LoadBalancerArn!));
  }
  return { TargetGroups: chosen.map((item) => describeTargetGroup(item.spec, item.metadata.name, loadBalancerArnsOf(context, item.spec.arn))) };
}
