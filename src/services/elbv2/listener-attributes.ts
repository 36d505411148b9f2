// DescribeListenerAttributes and ModifyListenerAttributes: an HTTP listener's response header
// attributes, a TCP listener's idle timeout, with ELB's defaults; values are kept and given back.

import { type Elbv2Context, listenerByArn, type ListenerSpec } from "./_context.js";
import { type Attribute, attributeList, changedAttributes } from "./_tagging.js";

const httpDefaults: Record<string, string> = {
  "routing.http.response.server.enabled": "true",
  "routing.http.response.access_control_allow_origin.header_value": "",
  "routing.http.response.access_control_allow_methods.header_value": "",
  "routing.http.response.access_control_allow_headers.header_value": "",
  "routing.http.response.access_control_allow_credentials.header_value": "",
  "routing.http.response.access_control_expose_headers.header_value": "",
  "routing.http.response.access_control_max_age.header_value": "",
  "routing.http.response.content_security_policy.header_value": "",
  "routing.http.response.x_content_type_options.header_value": "",
  "routing.http.response.x_frame_options.header_value": "",
};

const tcpDefaults: Record<string, string> = { "tcp.idle_timeout.seconds": "350" };

const defaultsOf = (spec: ListenerSpec) => (spec.protocol === "TCP" ? tcpDefaults : httpDefaults);

export function describeListenerAttributes(context: Elbv2Context, input: { ListenerArn?: string }) {
  const found = listenerByArn(context, input.ListenerArn ?? "");
  return { Attributes: attributeList(defaultsOf(found.spec), found.spec.attributes ?? {}) };
}

export function modifyListenerAttributes(context: Elbv2Context, input: { ListenerArn?: string; Attributes?: Attribute[] }) {
  const found = listenerByArn(context, input.ListenerArn ?? "");
  const defaults = defaultsOf(found.spec);
  const attributes = changedAttributes(defaults, found.spec.attributes ?? {}, input.Attributes, "Listener");
  context.store.update({ ...found, spec: { ...found.spec, attributes } });
  return { Attributes: attributeList(defaults, attributes) };
}
