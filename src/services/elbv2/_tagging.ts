// Tags and attributes shared by the operations that read and write them: any load balancer,
// target group or listener by its ARN; each kind's attributes with ELB's defaults.

import { allOf, elbError, type Elbv2Context, listenerKind, loadBalancerKind, type Stored, type Tag, targetGroupKind, validationError } from "./_context.js";

type Tagged = Stored<{ arn: string; tags: Tag[]; attributes?: Record<string, string> }>;

export function resourceByArn(context: Elbv2Context, arn: string): Tagged {
  for (const kind of [loadBalancerKind, targetGroupKind, listenerKind]) {
    const found = allOf<Tagged["spec"]>(context, kind).find((item) => item.spec.arn === arn);
    if (found) return found;
  }
  if (arn.includes(":targetgroup/")) throw elbError("NotFound", "TargetGroupNotFound", `Target groups '${arn}' not found`);
  if (arn.includes(":listener/")) throw elbError("NotFound", "ListenerNotFound", "One or more listeners not found");
  throw elbError("NotFound", "LoadBalancerNotFound", `Load balancers '${arn}' not found`);
}

const applicationDefaults: Record<string, string> = {
  "deletion_protection.enabled": "false",
  "access_logs.s3.enabled": "false",
  "access_logs.s3.bucket": "",
  "access_logs.s3.prefix": "",
  "connection_logs.s3.enabled": "false",
  "connection_logs.s3.bucket": "",
  "connection_logs.s3.prefix": "",
  "idle_timeout.timeout_seconds": "60",
  "client_keep_alive.seconds": "3600",
  "routing.http2.enabled": "true",
  "routing.http.drop_invalid_header_fields.enabled": "false",
  "routing.http.desync_mitigation_mode": "defensive",
  "routing.http.preserve_host_header.enabled": "false",
  "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
  "routing.http.xff_client_port.enabled": "false",
  "routing.http.xff_header_processing.mode": "append",
  "waf.fail_open.enabled": "false",
  "zonal_shift.config.enabled": "false",
  "load_balancing.cross_zone.enabled": "true",
};

const networkDefaults: Record<string, string> = {
  "deletion_protection.enabled": "false",
  "access_logs.s3.enabled": "false",
  "access_logs.s3.bucket": "",
  "access_logs.s3.prefix": "",
  "load_balancing.cross_zone.enabled": "false",
  "dns_record.client_routing_policy": "any_availability_zone",
  "zonal_shift.config.enabled": "false",
};

const targetGroupDefaults: Record<string, string> = {
  "deregistration_delay.timeout_seconds": "300",
  "stickiness.enabled": "false",
  "stickiness.type": "lb_cookie",
  "stickiness.lb_cookie.duration_seconds": "86400",
  "stickiness.app_cookie.cookie_name": "",
  "stickiness.app_cookie.duration_seconds": "86400",
  "load_balancing.algorithm.type": "round_robin",
  "load_balancing.algorithm.anomaly_mitigation": "off",
  "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
  "slow_start.duration_seconds": "0",
  "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
  "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
};

const tcpTargetGroupDefaults: Record<string, string> = {
  "deregistration_delay.timeout_seconds": "300",
  "deregistration_delay.connection_termination.enabled": "false",
  "stickiness.enabled": "false",
  "stickiness.type": "source_ip",
  "proxy_protocol_v2.enabled": "false",
  "preserve_client_ip.enabled": "true",
  "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
  "target_health_state.unhealthy.connection_termination.enabled": "true",
  "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
  "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
};

export function attributeDefaults(kind: "application" | "network" | "HTTP" | "HTTPS" | "TCP"): Record<string, string> {
  if (kind === "application") return applicationDefaults;
  if (kind === "network") return networkDefaults;
  return kind === "TCP" ? tcpTargetGroupDefaults : targetGroupDefaults;
}

export type Attribute = { Key?: string; Value?: string };

/** The attributes after `changes`; a key the kind does not have is a ValidationError. */
export function changedAttributes(defaults: Record<string, string>, current: Record<string, string>, changes: Attribute[] | undefined, what: string): Record<string, string> {
  if (!changes?.length) throw validationError("Attributes must be specified");
  const next = { ...current };
  for (const change of changes) {
    const key = change.Key ?? "";
    if (!(key in defaults)) throw elbError("Invalid", "InvalidConfigurationRequest", `${what} attribute key '${key}' is not recognized`);
    next[key] = change.Value ?? "";
  }
  return next;
}

export function attributeList(defaults: Record<string, string>, current: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries({ ...defaults, ...current }).map(([Key, Value]) => ({ Key, Value }));
}
