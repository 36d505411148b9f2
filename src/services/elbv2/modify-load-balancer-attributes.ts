// ModifyLoadBalancerAttributes: values are kept and given back (the proxy does not act on them yet);
// a key the type does not have is InvalidConfigurationRequest.

import { type Elbv2Context, loadBalancerByArn } from "./_context.js";
import { type Attribute, attributeDefaults, attributeList, changedAttributes } from "./_tagging.js";

export function modifyLoadBalancerAttributes(context: Elbv2Context, input: { LoadBalancerArn?: string; Attributes?: Attribute[] }) {
  const found = loadBalancerByArn(context, input.LoadBalancerArn ?? "");
  const defaults = attributeDefaults(found.spec.type);
  const attributes = changedAttributes(defaults, found.spec.attributes, input.Attributes, "Load balancer");
  context.store.update({ ...found, spec: { ...found.spec, attributes } });
  return { Attributes: attributeList(defaults, attributes) };
}
