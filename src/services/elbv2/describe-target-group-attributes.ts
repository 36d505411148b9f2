// DescribeTargetGroupAttributes: ELB's attribute keys for the protocol with their defaults and the values set.

import { type Elbv2Context, targetGroupByArn } from "./_context.js";
import { attributeDefaults, attributeList } from "./_tagging.js";

export function describeTargetGroupAttributes(context: Elbv2Context, input: { TargetGroupArn?: string }) {
  const found = targetGroupByArn(context, input.TargetGroupArn ?? "");
  return { Attributes: attributeList(attributeDefaults(found.spec.protocol), found.spec.attributes) };
}
