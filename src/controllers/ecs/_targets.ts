// A service's task in its load balancers' target groups, as ECS keeps it: registered (its
// address and the container port) once it is RUNNING, deregistered when it is told to stop,
// and kept DEACTIVATING for the target group's deregistration delay (draining) before its
// containers are stopped. Target groups are reached through a port (the ELBv2 service's
// in-process calls); a group deleted meanwhile is skipped.

import type { StoredObject } from "../../store/mod.js";

export interface TargetGroupPort {
  registerIpTargets(targetGroupArn: string, targets: readonly { ip: string; port: number }[]): void;
  deregisterIpTargets(targetGroupArn: string, targets: readonly { ip: string; port: number }[]): void;
  targetGroup(targetGroupArn: string): { deregistrationDelaySeconds: number; healthCheck?: { intervalSeconds: number; unhealthyThreshold: number } } | undefined;
  /** The targets' health states (DescribeTargetHealth's); without it, no task is replaced for its health. */
  targetHealth?(targetGroupArn: string, targets: readonly { ip: string; port: number }[]): Promise<{ target: { ip: string; port: number }; state: string; reason?: string; description?: string }[]>;
}

interface TaskLoadBalancer {
  targetGroupArn: string;
  containerPort: number;
}

function entriesOf(task: StoredObject): { address: string; entries: TaskLoadBalancer[] } | undefined {
  const entries = (task.spec?.loadBalancers ?? []) as TaskLoadBalancer[];
  const address = task.status?.privateIPv4Address as string | undefined;
  return entries.length > 0 && address ? { address, entries } : undefined;
}

/** Registers a RUNNING task with its target groups (again is harmless: a target stays once). */
export function registerTargets(port: TargetGroupPort | undefined, task: StoredObject): void {
  const found = port && entriesOf(task);
  if (!found) return;
  for (const entry of found.entries) {
    try {
      port.registerIpTargets(entry.targetGroupArn, [{ ip: found.address, port: entry.containerPort }]);
    } catch {
      // The group went away after the service was made: nothing to join.
    }
  }
}

/** Deregisters a stopping task; answers how long to drain (the longest deregistration delay), in ms. */
export function deregisterTargets(port: TargetGroupPort | undefined, task: StoredObject): number {
  const found = port && entriesOf(task);
  if (!found) return 0;
  let drainMs = 0;
  for (const entry of found.entries) {
    try {
      port.deregisterIpTargets(entry.targetGroupArn, [{ ip: found.address, port: entry.containerPort }]);
      drainMs = Math.max(drainMs, (port.targetGroup(entry.targetGroupArn)?.deregistrationDelaySeconds ?? 0) * 1000);
    } catch {
      // A deleted group holds no target.
    }
  }
  return drainMs;
}
