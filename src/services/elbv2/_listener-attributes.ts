// A listener's attribute keys with ELB's defaults: an HTTP listener's response header attributes,
// a TCP listener's idle timeout.

import type { ListenerSpec } from "./_context.js";

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

export const listenerAttributeDefaults = (spec: ListenerSpec) => (spec.protocol === "TCP" ? tcpDefaults : httpDefaults);

