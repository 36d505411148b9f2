// ModifyListenerAttributes: values are kept and given back (the proxy does not act on them yet).

import { type Elbv2Context, listenerByArn } from "./_context.js";
import { listenerAttributeDefaults } from "./_listener-attributes.js";
import { type Attribute, attributeList, changedAttributes } from "./_tagging.js";

export function modifyListenerAttributes(context: Elbv2Context, input: { ListenerArn?: string; Attributes?: Attribute[] }) {
  const found = listenerByArn(context, input.ListenerArn ?? "");
  const defaults = listenerAttributeDefaults(found.spec);
  const attributes = changedAttributes(defaults, found.spec.attributes ?? {}, input.Attributes, "Listener");
  context.store.update({ ...found, spec: { ...found.spec, attributes } });
  return { Attributes: attributeList(defaults, attributes) };
}
