// DescribeListeners: by ListenerArns, or a LoadBalancerArn's (LoadBalancerNotFound if it is gone).

import { describeListener } from "./_describe.js";
import { allOf, type Elbv2Context, listenerByArn, listenerKind, type ListenerSpec, loadBalancerByArn, validationError } from "./_context.js";

export function describeListeners(context: Elbv2Context, input: { ListenerArns?: string[]; LoadBalancerArn?: string }) {
  if (input.ListenerArns?.length) return { Listeners: input.ListenerArns.map((arn) => describeListener(listenerByArn(context, arn).spec)) };
  if (!input.LoadBalancerArn) throw validationError("You must specify either listener ARNs or a load balancer ARN");
  const balancer = loadBalancerByArn(context, input.LoadBalancerArn);
  const listeners = allOf<ListenerSpec>(context, listenerKind).filter((item) => item.spec.loadBalancerArn === balancer.spec.arn);
  return { Listeners: listeners.sort((a, b) => a.spec.port - b.spec.port).map((item) => describeListener(item.spec)) };
}
