// The ELBv2 service (query protocol): application and network load balancers, target groups,
// listeners, targets and their health, tags and attributes, by the model's operation names with
// ELBv2's error codes. API-made load balancers are stored objects (ElbLoadBalancer,
// ElbTargetGroup, ElbListener) that the load balancer controller (src/controllers/loadbalancers)
// turns into the same plans as Ingress-made ones (`apiLoadBalancerPlan`), so they are real
// proxy listeners on their own host loopback and VPC addresses with hostnames in /etc/hosts and
// cluster DNS. DescribeTargetHealth reads the proxy's real checks through `checks`.
//
// In process, a controller registers and deregisters ip targets with `registerIpTargets` and
// `deregisterIpTargets` (the same rules and errors as RegisterTargets and DeregisterTargets),
// and reads their health with `targetHealth` (DescribeTargetHealth's states and reasons).

import { createHash, randomBytes } from "node:crypto";
import type { Store } from "../../store/mod.js";
import { type Elbv2Context, type TargetCheck, targetGroupKind } from "./_context.js";
import { describeLoadBalancerAttributes } from "./describe-load-balancer-attributes.js";
import { describeTargetGroupAttributes } from "./describe-target-group-attributes.js";
import { modifyLoadBalancerAttributes } from "./modify-load-balancer-attributes.js";
import { modifyTargetGroupAttributes } from "./modify-target-group-attributes.js";
import { createListener } from "./create-listener.js";
import { describeListenerAttributes } from "./describe-listener-attributes.js";
import { modifyListenerAttributes } from "./modify-listener-attributes.js";
import { createLoadBalancer } from "./create-load-balancer.js";
import { createTargetGroup } from "./create-target-group.js";
import { deleteListener } from "./delete-listener.js";
import { deleteLoadBalancer } from "./delete-load-balancer.js";
import { deleteTargetGroup } from "./delete-target-group.js";
import { describeListeners } from "./describe-listeners.js";
import { describeLoadBalancers } from "./describe-load-balancers.js";
import { describeTargetGroups, loadBalancerArnsOf } from "./describe-target-groups.js";
import { describeTargetHealth } from "./describe-target-health.js";
import { modifyListener } from "./modify-listener.js";
import { modifyTargetGroup } from "./modify-target-group.js";
import { deregisterTargets } from "./deregister-targets.js";
import { registerTargets } from "./register-targets.js";
import { addTags } from "./add-tags.js";
import { describeTags } from "./describe-tags.js";
import { removeTags } from "./remove-tags.js";

export { listenerKind, loadBalancerKind, targetGroupKind, type TargetCheck } from "./_context.js";
export { apiLoadBalancerPlan, apiLoadBalancersUsing } from "./_plan.js";

/** An ip target: a pod's or task's address and the port it serves. */
export interface IpTarget {
  ip: string;
  port: number;
}

export interface Elbv2Service {
  readonly name: "elbv2";
  readonly operations: Record<string, (input: any, context?: unknown) => unknown>;
  /** Adds ip targets to the group (already registered ones stay once); TargetGroupNotFound, InvalidTarget. */
  registerIpTargets(targetGroupArn: string, targets: readonly IpTarget[]): void;
  /** Removes ip targets from the group; ones not registered are ignored; TargetGroupNotFound. */
  deregisterIpTargets(targetGroupArn: string, targets: readonly IpTarget[]): void;
  /** What a controller needs to know of a target group; undefined when there is none. */
  targetGroup(targetGroupArn: string): TargetGroupSummary | undefined;
  /** The health of ip targets in the group, as DescribeTargetHealth gives it; [] when there is no such group. */
  targetHealth(targetGroupArn: string, targets: readonly IpTarget[]): Promise<IpTargetHealth[]>;
}

export interface IpTargetHealth {
  target: IpTarget;
  /** initial, healthy, unhealthy, unused, draining or unavailable. */
  state: string;
  reason?: string;
  description?: string;
}

export interface TargetGroupSummary {
  targetType: string;
  /** The load balancers whose listeners forward to it. */
  loadBalancerArns: string[];
  deregistrationDelaySeconds: number;
  /** Its health check's interval and the failures in a row that make a target unhealthy. */
  healthCheck: { intervalSeconds: number; unhealthyThreshold: number };
}

export interface Elbv2ServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  /** The proxy's current checks (the load balancer engine's `checks()`). */
  checks?: () => Promise<TargetCheck[]>;
  now?: () => Date;
  randomHex?: () => string;
}

export function createElbv2Service(options: Elbv2ServiceOptions): Elbv2Service {
  const context: Elbv2Context = {
    store: options.store,
    region: options.region,
    accountId: options.accountId,
    now: options.now ?? (() => new Date()),
    randomHex: options.randomHex ?? (() => randomBytes(8).toString("hex")),
    sha256: (text) => createHash("sha256").update(text).digest("hex"),
    checks: options.checks ?? (async () => []),
    seenHealthy: new Set(),
  };
  const on = <I, O>(operation: (context: Elbv2Context, input: I) => O) => (input: I) => operation(context, input ?? ({} as I));
  return {
    name: "elbv2",
    operations: {
      CreateLoadBalancer: on(createLoadBalancer),
      DescribeLoadBalancers: on(describeLoadBalancers),
      DeleteLoadBalancer: on(deleteLoadBalancer),
      CreateTargetGroup: on(createTargetGroup),
      DescribeTargetGroups: on(describeTargetGroups),
      ModifyTargetGroup: on(modifyTargetGroup),
      DeleteTargetGroup: on(deleteTargetGroup),
      CreateListener: on(createListener),
      DescribeListeners: on(describeListeners),
      ModifyListener: on(modifyListener),
      DeleteListener: on(deleteListener),
      DescribeListenerAttributes: on(describeListenerAttributes),
      ModifyListenerAttributes: on(modifyListenerAttributes),
      RegisterTargets: on(registerTargets),
      DeregisterTargets: on(deregisterTargets),
      DescribeTargetHealth: on(describeTargetHealth),
      DescribeTags: on(describeTags),
      AddTags: on(addTags),
      RemoveTags: on(removeTags),
      DescribeLoadBalancerAttributes: on(describeLoadBalancerAttributes),
      ModifyLoadBalancerAttributes: on(modifyLoadBalancerAttributes),
      DescribeTargetGroupAttributes: on(describeTargetGroupAttributes),
      ModifyTargetGroupAttributes: on(modifyTargetGroupAttributes),
    },
    registerIpTargets: (targetGroupArn, targets) => {
      if (targets.length > 0) registerTargets(context, { TargetGroupArn: targetGroupArn, Targets: asTargets(targets) });
    },
    targetGroup: (targetGroupArn) => targetGroupSummary(context, targetGroupArn),
    targetHealth: (targetGroupArn, targets) => ipTargetHealth(context, targetGroupArn, targets),
    deregisterIpTargets: (targetGroupArn, targets) => {
      const registered = targets.filter((target) => context.store.list(targetGroupKind).items.some((group) => group.spec.arn === targetGroupArn && group.spec.targets.some((other: any) => other.id === target.ip && other.port === target.port)));
      if (registered.length > 0) deregisterTargets(context, { TargetGroupArn: targetGroupArn, Targets: asTargets(registered) });
    },
  };
}

const asTargets = (targets: readonly IpTarget[]) => targets.map((target) => ({ Id: target.ip, Port: target.port }));

function targetGroupSummary(context: Elbv2Context, targetGroupArn: string): TargetGroupSummary | undefined {
  const group = context.store.list(targetGroupKind).items.find((item) => item.spec.arn === targetGroupArn);
  if (!group) return undefined;
  const delay = Number(group.spec.attributes?.["deregistration_delay.timeout_seconds"] ?? 300);
  const check = group.spec.healthCheck as { intervalSeconds: number; unhealthyThreshold: number };
  return {
    targetType: group.spec.targetType,
    loadBalancerArns: loadBalancerArnsOf(context, targetGroupArn),
    deregistrationDelaySeconds: Number.isFinite(delay) ? delay : 300,
    healthCheck: { intervalSeconds: check.intervalSeconds, unhealthyThreshold: check.unhealthyThreshold },
  };
}

async function ipTargetHealth(context: Elbv2Context, targetGroupArn: string, targets: readonly IpTarget[]): Promise<IpTargetHealth[]> {
  if (targets.length === 0 || !context.store.list(targetGroupKind).items.some((group) => group.spec.arn === targetGroupArn)) return [];
  const described = await describeTargetHealth(context, { TargetGroupArn: targetGroupArn, Targets: asTargets(targets) });
  return described.TargetHealthDescriptions.map((entry) => ({
    target: { ip: entry.Target.Id, port: entry.Target.Port },
    state: entry.TargetHealth.State,
    ...(entry.TargetHealth.Reason ? { reason: entry.TargetHealth.Reason } : {}),
    ...(entry.TargetHealth.Description ? { description: entry.TargetHealth.Description } : {}),
  }));
}
