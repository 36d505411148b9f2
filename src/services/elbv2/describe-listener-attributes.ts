// DescribeListenerAttributes: the listener's attribute keys with their defaults and the values set.

import { type Elbv2Context, listenerByArn } from "./_context.js";
import { listenerAttributeDefaults } from "./_listener-attributes.js";
import { attributeList } from "./_tagging.js";

export function describeListenerAttributes(context: Elbv2Context, input: { ListenerArn?: string }) {
  const found = listenerByArn(context, input.ListenerArn ?? "");
  return { Attributes: attributeList(listenerAttributeDefaults(found.spec), found.spec.attributes ?? {}) };
}
