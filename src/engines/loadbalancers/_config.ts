// HAProxy's configuration for a set of load balancers. HAProxy runs inside Moor's VPC network
// namespace, so its connections and health checks reach pod addresses directly, and a load
// balancer's VPC address is bound there as it is; each load balancer's host loopback address is
// bound with `namespace <host namespace>` (HAProxy's `namespace` keyword: setns around socket()),
// so no address, route or NAT rule for the VPC ever exists in the host namespace.
//
// Servers (targets) carry all their settings on their own line, not through `default-server`:
// a server added at run time over the admin socket (`add server`) takes the same settings and
// inherits nothing.

import { successCodePattern, type LoadBalancerPlan, type Target, type TargetGroup } from "../../domain/loadbalancers/mod.js";

/** Checks of a target that is not healthy yet, or not any more. */
const transitionCheckMs = 250;

export interface ProxiedLoadBalancer extends LoadBalancerPlan {
  /** The host loopback address its listeners bind. */
  address: string;
  /** Its address inside the VPC namespace, which pods reach (cluster DNS answers its name with it). */
  vpcAddress?: string;
}

export interface ConfigContext {
  /** The host network namespace's name under /run/netns (HAProxy itself runs in the VPC's). */
  hostNamespace: string;
  adminSocket: string;
  stateFile: string;
  errorFile503: string;
  /** Servers that start in maintenance, to be made ready (and so checked) after the reload. */
  isNew: (backend: string, server: string) => boolean;
}

/** What the ALB answers when a target group has no healthy target. */
export const albUnavailableResponse = [
  "HTTP/1.1 503 Service Temporarily Unavailable",
  "Server: awselb/2.0",
  "Content-Type: text/html",
  "Content-Length: 162",
  "Connection: close",
  "",
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n",
].join("\r\n");

export function backendName(balancer: LoadBalancerPlan, group: TargetGroup): string {
  return `${balancer.name}.${group.id}`;
}

export function serverName(target: Target): string {
  return `ip-${target.ip.replaceAll(".", "-")}-${target.port}`;
}

function frontend(balancer: ProxiedLoadBalancer, listener: ProxiedLoadBalancer["listeners"][number], context: ConfigContext): string[] {
  const mode = balancer.type === "application" ? "http" : "tcp";
  const lines = [`frontend ${balancer.name}.${listener.port}`, `  mode ${mode}`, `  bind ${balancer.address}:${listener.port} namespace ${context.hostNamespace}`];
  if (balancer.vpcAddress) lines.push(`  bind ${balancer.vpcAddress}:${listener.port}`);
  const groups = new Map(balancer.targetGroups.map((group) => [group.id, group]));
  for (const rule of listener.rules) {
    const host = rule.hostPattern ? ` { req.hdr(host),field(1,:),lower -m reg '${rule.hostPattern}' }` : "";
    lines.push(`  use_backend ${backendName(balancer, groups.get(rule.targetGroup)!)} if${host} { path -m reg '${rule.pathPattern}' }`);
  }
  const fallback = listener.defaultTargetGroup ? groups.get(listener.defaultTargetGroup) : undefined;
  // The LBC's default action when an Ingress has no default backend: a fixed 404 (a backend of
  // its own: `http-request` rules in the frontend would run before any `use_backend`).
  const fixed = listener.fixedResponse ? `${balancer.name}.fixed-${listener.port}` : `${balancer.name}.fixed-404`;
  lines.push(`  default_backend ${fallback ? backendName(balancer, fallback) : fixed}`);
  return lines;
}

/** A listener's fixed response as a backend of its own (`http-request return`). */
function fixedResponseBackend(balancer: ProxiedLoadBalancer, listener: ProxiedLoadBalancer["listeners"][number]): string[] {
  const answer = listener.fixedResponse!;
  const body = answer.body === "" ? "" : ` content-type '${answer.contentType}' string '${answer.body.replace(/[\\']/g, "")}'`;
  return [`backend ${balancer.name}.fixed-${listener.port}`, "  mode http", `  http-request return status ${answer.statusCode}${body}`, ""];
}

function backend(balancer: ProxiedLoadBalancer, group: TargetGroup, context: ConfigContext): string[] {
  const name = backendName(balancer, group);
  const check = group.healthCheck;
  const lines = [`backend ${name}`, `  mode ${group.protocol === "HTTP" ? "http" : "tcp"}`, "  balance roundrobin"];
  if (check.protocol !== "TCP") {
    lines.push(`  option httpchk GET ${check.path}`, `  http-check expect rstatus '${successCodePattern(check.successCodes)}'`);
  }
  lines.push(`  timeout check ${check.timeoutSeconds}s`);
  for (const target of group.targets) {
    const server = serverName(target);
    const disabled = context.isNew(name, server) ? " disabled" : "";
    lines.push(`  server ${server} ${serverSettings(group, target)}${disabled}`);
  }
  return lines;
}

/**
 * A target's address and check settings, as a server line and `add server` both take them. Once
 * a target's checks have begun, while it is not healthy yet, or failing, it is checked every
 * quarter second; the thresholds still count as the ALB counts them.
 */
export function serverSettings(group: TargetGroup, target: Target): string {
  const check = group.healthCheck;
  if (group.healthCheckEnabled === false) return `${target.ip}:${target.port}`;
  const port = check.port === "traffic-port" ? "" : ` port ${check.port}`;
  const ssl = check.protocol === "HTTPS" ? " check-ssl verify none" : "";
  const timing = `inter ${check.intervalSeconds}s fastinter ${transitionCheckMs}ms downinter ${transitionCheckMs}ms rise ${check.healthyThreshold} fall ${check.unhealthyThreshold}`;
  return `${target.ip}:${target.port} check${port}${ssl} ${timing}`;
}

/** The configuration with no servers: what only a reload can change. */
export function renderStructure(balancers: readonly ProxiedLoadBalancer[], context: ConfigContext): string {
  const empty = balancers.map((balancer) => ({ ...balancer, targetGroups: balancer.targetGroups.map((group) => ({ ...group, targets: [] })) }));
  return renderConfig(empty, context);
}

export function renderConfig(balancers: readonly ProxiedLoadBalancer[], context: ConfigContext): string {
  const lines = [
    "# Written by Moor; rewritten on every change.",
    "global",
    "  maxconn 8000",
    `  stats socket ${context.adminSocket} mode 600 level admin expose-fd listeners`,
    `  server-state-file ${context.stateFile}`,
    "",
    "defaults",
    "  timeout connect 5s",
    // The ALB's idle timeout.
    "  timeout client 60s",
    "  timeout server 60s",
    "  timeout http-request 60s",
    "  load-server-state-from-file global",
    `  errorfile 503 ${context.errorFile503}`,
    "",
  ];
  for (const balancer of balancers) {
    for (const listener of balancer.listeners) lines.push(...frontend(balancer, listener, context), "");
    for (const group of balancer.targetGroups) lines.push(...backend(balancer, group, context), "");
    for (const listener of balancer.listeners) if (listener.fixedResponse && !listener.defaultTargetGroup) lines.push(...fixedResponseBackend(balancer, listener));
    if (balancer.listeners.some((listener) => !listener.defaultTargetGroup && !listener.fixedResponse)) {
      lines.push(`backend ${balancer.name}.fixed-404`, "  mode http", "  http-request return status 404", "");
    }
  }
  return lines.join("\n");
}
