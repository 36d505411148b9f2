// DescribeLoadBalancerAttributes, ModifyLoadBalancerAttributes, DescribeTargetGroupAttributes and
// ModifyTargetGroupAttributes: ELB's attribute keys with their defaults; values are kept and
// given back (Moor's proxy does not act on them yet).

import { type Elbv2Context, loadBalancerByArn, targetGroupByArn } from "./_context.js";
import { type Attribute, attributeDefaults, attributeList, changedAttributes } from "./_tagging.js";

export function describeLoadBalancerAttributes(context: Elbv2Context, input: { LoadBalancerArn?: string }) {
  const found = loadBalancerByArn(context, input.LoadBalancerArn ?? "");
  return { Attributes: attributeList(attributeDefaults(found.spec.type), found.spec.attributes) };
}

export function modifyLoadBalancerAttributes(context: Elbv2Context, input: { LoadBalancerArn?: string; Attributes?: Attribute[] }) {
  const found = loadBalancerByArn(context, input.LoadBalancerArn ?? "");
  const defaults = attributeDefaults(found.spec.type);
  const attributes = changedAttributes(defaults, found.spec.attributes, input.Attributes, "Load balancer");
  context.store.update({ ...found, spec: { ...found.spec, attributes } });
  return { Attributes: attributeList(defaults, attributes) };
}

export function describeTargetGroupAttributes(context: Elbv2Context, input: { TargetGroupArn?: string }) {
  const found = targetGroupByArn(context, input.TargetGroupArn ?? "");
  return { Attributes: attributeList(attributeDefaults(found.spec.protocol), found.spec.attributes) };
}

export function modifyTargetGroupAttributes(context: Elbv2Context, input: { TargetGroupArn?: string; Attributes?: Attribute[] }) {
  const found = targetGroupByArn(context, input.TargetGroupArn ?? "");
  const defaults = attributeDefaults(found.spec.protocol);
  const attributes = changedAttributes(defaults, found.spec.attributes, input.Attributes, "Target group");
  context.store.update({ ...found, spec: { ...found.spec, attributes } });
  return { Attributes: attributeList(defaults, attributes) };
}
