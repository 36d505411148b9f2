// What every ELBv2 operation works with: the store (kinds ElbLoadBalancer, ElbTargetGroup and
// ElbListener, named by the load balancer's name, the target group's name and the listener's
// id), the account and region for ARNs, the clock, random hex for ids, and the proxy's check
// results for DescribeTargetHealth. Errors carry ELBv2's codes (the model's error codes).

import { MoorError, type ErrorCategory } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

export const loadBalancerKind = "ElbLoadBalancer";
export const targetGroupKind = "ElbTargetGroup";
export const listenerKind = "ElbListener";
export const elbApiVersion = "elbv2.moor.dev/v1";

/** One target's last check as the proxy saw it. */
export interface TargetCheck {
  /** The load balancer's name and the target group's name (its id in the plan). */
  balancer: string;
  targetGroup: string;
  ip: string;
  port: number;
  /** HAProxy's status: UP, DOWN, MAINT, DRAIN, or a transition ("UP 1/2", "DOWN 1/2"). */
  status: string;
  /** HAProxy's last check status (L7OK, L7STS, L4CON, L4TOUT, INI, …) and HTTP code. */
  checkStatus: string;
  checkCode?: number;
}

export interface Elbv2Context {
  store: Store;
  region: string;
  accountId: string;
  now(): Date;
  /** 16 random hex digits. */
  randomHex(): string;
  sha256(text: string): string;
  /** The proxy's current check results (none when no proxy runs). */
  checks(): Promise<TargetCheck[]>;
  /** Targets ever seen healthy, by `<group arn> <ip>:<port>`: initial before, unhealthy after. */
  seenHealthy: Set<string>;
}

export type Tag = { Key: string; Value?: string };

export interface LoadBalancerSpec {
  arn: string;
  type: "application" | "network";
  scheme: "internet-facing" | "internal";
  vpcId: string;
  subnets: { subnetId: string; zone: string }[];
  securityGroups: string[];
  dnsName: string;
  createdTime: string;
  tags: Tag[];
  attributes: Record<string, string>;
}

export interface HealthCheckSpec {
  protocol: "HTTP" | "HTTPS" | "TCP";
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher?: string;
  enabled: boolean;
}

export interface TargetGroupSpec {
  arn: string;
  protocol: "HTTP" | "HTTPS" | "TCP";
  port: number;
  vpcId: string;
  targetType: "ip" | "instance";
  healthCheck: HealthCheckSpec;
  targets: { id: string; port: number }[];
  tags: Tag[];
  attributes: Record<string, string>;
}

export type Action = { Type: "forward"; TargetGroupArn: string } | { Type: "fixed-response"; FixedResponseConfig: { StatusCode: string; ContentType?: string; MessageBody?: string } };

export interface ListenerSpec {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: "HTTP" | "TCP";
  defaultActions: Action[];
  tags: Tag[];
  attributes?: Record<string, string>;
}

export type Stored<S> = StoredObject<S, any> & { spec: S };

export function elbError(category: ErrorCategory, code: string, message: string): MoorError {
  return new MoorError(category, message, { code });
}

export const validationError = (message: string) => elbError("Invalid", "ValidationError", message);

export function allOf<S>(context: Elbv2Context, kind: string): Stored<S>[] {
  return context.store.list(kind).items as Stored<S>[];
}

export function loadBalancerByArn(context: Elbv2Context, arn: string): Stored<LoadBalancerSpec> {
  const found = allOf<LoadBalancerSpec>(context, loadBalancerKind).find((item) => item.spec.arn === arn);
  if (!found) throw elbError("NotFound", "LoadBalancerNotFound", `Load balancer '${arn}' not found`);
  return found;
}

export function targetGroupByArn(context: Elbv2Context, arn: string): Stored<TargetGroupSpec> {
  const found = allOf<TargetGroupSpec>(context, targetGroupKind).find((item) => item.spec.arn === arn);
  if (!found) throw elbError("NotFound", "TargetGroupNotFound", `Target groups '${arn}' not found`);
  return found;
}

export function listenerByArn(context: Elbv2Context, arn: string): Stored<ListenerSpec> {
  const found = allOf<ListenerSpec>(context, listenerKind).find((item) => item.spec.arn === arn);
  if (!found) throw elbError("NotFound", "ListenerNotFound", `One or more listeners not found`);
  return found;
}

/** The listeners whose default actions forward to the target group. */
export function listenersForwardingTo(context: Elbv2Context, targetGroupArn: string): Stored<ListenerSpec>[] {
  return allOf<ListenerSpec>(context, listenerKind).filter((item) => item.spec.defaultActions.some((action) => action.Type === "forward" && action.TargetGroupArn === targetGroupArn));
}

export function arnPrefix(context: Elbv2Context): string {
  return `arn:aws:elasticloadbalancing:${context.region}:${context.accountId}:`;
}

/**
 * AWS's rule for load balancer and target group names: 1-32 alphanumerics or hyphens, no hyphen
 * at either end; a load balancer's may not begin with `internal-`.
 */
export function checkName(name: string | undefined, what: "LoadBalancer" | "Target group"): string {
  if (!name) throw validationError(`${what} name cannot be empty`);
  if (name.length > 32) throw validationError(`${what} name cannot be longer than '32' characters`);
  if (!/^[a-zA-Z0-9-]+$/.test(name)) throw validationError(`${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith("-") || name.endsWith("-")) throw validationError(`${what} name '${name}' cannot begin or end with '-'`);
  if (what === "LoadBalancer" && name.startsWith("internal-")) throw validationError(`Load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}
