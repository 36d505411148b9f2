// DescribeLoadBalancerAttributes: ELB's attribute keys for the type with their defaults and the values set.

import { type Elbv2Context, loadBalancerByArn } from "./_context.js";
import { attributeDefaults, attributeList } from "./_tagging.js";

export function describeLoadBalancerAttributes(context: Elbv2Context, input: { LoadBalancerArn?: string }) {
  const found = loadBalancerByArn(context, input.LoadBalancerArn ?? "");
  return { Attributes: attributeList(attributeDefaults(found.spec.type), found.spec.attributes) };
}
