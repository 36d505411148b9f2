// ModifyTargetGroupAttributes: values are kept and given back (the proxy does not act on them yet).

import { type Elbv2Context, targetGroupByArn } from "./_context.js";
import { type Attribute, attributeDefaults, attributeList, changedAttributes } from "./_tagging.js";

export function modifyTargetGroupAttributes(context: Elbv2Context, input: { TargetGroupArn?: string; Attributes?: Attribute[] }) {
  const found = targetGroupByArn(context, input.TargetGroupArn ?? "");
  const defaults = attributeDefaults(found.spec.protocol);
  const attributes = changedAttributes(defaults, found.spec.attributes, input.Attributes, "Target group");
  context.store.update({ ...found, spec: { ...found.spec, attributes } });
  return { Attributes: attributeList(defaults, attributes) };
}
