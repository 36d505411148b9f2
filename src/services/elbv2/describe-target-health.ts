// DescribeTargetHealth from the proxy's real checks. A group no listener forwards to has its
// targets `unused` (Target.NotInUse); with checks disabled, `unavailable`; a target the proxy
// does not check yet is `initial` (Elb.RegistrationInProgress); then, as HAProxy sees it: up is
// `healthy`; down before it was ever healthy is `initial` (Elb.InitialHealthChecking) while its
// checks have not failed, `unhealthy` once they have; down after being healthy is `unhealthy`,
// with ELB's reason for the last check's failure.

import { allOf, type Elbv2Context, listenersForwardingTo, loadBalancerKind, type LoadBalancerSpec, targetGroupByArn, type TargetCheck, validationError } from "./_context.js";
import type { TargetDescription } from "./register-targets.js";

interface TargetHealth {
  State: string;
  Reason?: string;
  Description?: string;
}

function failure(check: TargetCheck): TargetHealth {
  const status = check.checkStatus;
  if (status === "L7STS" || status === "L7RSP") {
    return { State: "unhealthy", Reason: "Target.ResponseCodeMismatch", Description: `Health checks failed with these codes: [${check.checkCode ?? ""}]` };
  }
  if (status === "L4TOUT" || status === "L7TOUT") return { State: "unhealthy", Reason: "Target.Timeout", Description: "Request timed out" };
  return { State: "unhealthy", Reason: "Target.FailedHealthChecks", Description: "Health checks failed" };
}

const failed = (check: TargetCheck) => /^(L4CON|L4TOUT|L6TOUT|L6RSP|L7TOUT|L7RSP|L7STS|SOCKERR)$/.test(check.checkStatus);

function healthOf(context: Elbv2Context, key: string, check: TargetCheck | undefined): TargetHealth {
  if (!check) return { State: "initial", Reason: "Elb.RegistrationInProgress", Description: "Target registration is in progress" };
  if (check.status.startsWith("UP")) {
    context.seenHealthy.add(key);
    return { State: "healthy" };
  }
  if (context.seenHealthy.has(key) || failed(check)) return failure(check);
  return { State: "initial", Reason: "Elb.InitialHealthChecking", Description: "Initial health checks in progress" };
}

export async function describeTargetHealth(context: Elbv2Context, input: { TargetGroupArn?: string; Targets?: TargetDescription[] }) {
  const group = targetGroupByArn(context, input.TargetGroupArn ?? "");
  const wanted = input.Targets?.length ? input.Targets.map((target) => ({ id: target.Id ?? "", port: target.Port ?? group.spec.port })) : group.spec.targets;
  const serving = listenersForwardingTo(context, group.spec.arn).map((listener) => listener.spec.loadBalancerArn);
  const balancer = allOf<LoadBalancerSpec>(context, loadBalancerKind).find((item) => serving.includes(item.spec.arn));
  const checks = balancer && group.spec.healthCheck.enabled ? await context.checks() : [];
  if (wanted.some((target) => !target.id)) throw validationError("A target ID must be specified");
  const healthCheckPort = (port: number) => (group.spec.healthCheck.port === "traffic-port" ? String(port) : group.spec.healthCheck.port);
  return {
    TargetHealthDescriptions: wanted.map((target) => {
      const registered = group.spec.targets.some((other) => other.id === target.id && other.port === target.port);
      let health: TargetHealth;
      if (!registered) health = { State: "unused", Reason: "Target.NotRegistered", Description: "Target is not registered to the target group" };
      else if (!balancer) health = { State: "unused", Reason: "Target.NotInUse", Description: "Target group is not configured to receive traffic from the load balancer" };
      else if (!group.spec.healthCheck.enabled) health = { State: "unavailable", Reason: "Target.HealthCheckDisabled", Description: "Health checks are disabled" };
      else {
        const check = checks.find((item) => item.balancer === balancer.metadata.name && item.targetGroup === group.metadata.name && item.ip === target.id && item.port === target.port);
        health = healthOf(context, `${group.spec.arn} ${target.id}:${target.port}`, check);
      }
      return { Target: { Id: target.id, Port: target.port }, HealthCheckPort: healthCheckPort(target.port), TargetHealth: health };
    }),
  };
}
