// A service's `loadBalancers`, checked as ECS checks them at CreateService and UpdateService:
// each names an ELBv2 target group that exists, is attached to a load balancer and takes ip
// targets (awsvpc), and a container of the task definition with that container port. The
// target groups are read through `targetGroup` (the ELBv2 service's, wired in src/cmd); the
// ECS controller registers each RUNNING task's address and port with them.

import type { StoredObject } from "../../store/mod.js";
import { type EcsContext, parameterError } from "./_context.js";

export interface ServiceLoadBalancer {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName?: string;
  containerPort?: number;
}

/** What ECS needs to know of a target group. */
export interface TargetGroupView {
  targetType: string;
  loadBalancerArns: string[];
}

const loadBalancersMax = 5;

function checkContainer(definition: StoredObject, entry: ServiceLoadBalancer): void {
  const containers = (definition.spec?.containerDefinitions ?? []) as { name?: string; portMappings?: { containerPort?: number }[] }[];
  const container = containers.find((candidate) => candidate.name === entry.containerName);
  if (!container) throw parameterError(`The container ${entry.containerName} does not exist in the task definition.`);
  if (!(container.portMappings ?? []).some((mapping) => mapping.containerPort === entry.containerPort)) {
    throw parameterError(`The container ${entry.containerName} did not have a container port ${entry.containerPort} defined.`);
  }
}

/** The entries as stored; InvalidParameterException with ECS's texts for what ECS refuses. */
export function checkLoadBalancers(context: EcsContext, definition: StoredObject, entries: ServiceLoadBalancer[]): ServiceLoadBalancer[] {
  // unverified text
  if (entries.length > loadBalancersMax) throw parameterError(`loadBalancers can have at most ${loadBalancersMax} items.`);
  return entries.map((entry) => {
    // unverified text: Moor has no Classic Load Balancers, so a loadBalancerName names none.
    if (!entry.targetGroupArn) throw parameterError("Target Group Arn can not be blank.");
    const group = context.targetGroup?.(entry.targetGroupArn);
    if (!group) throw parameterError("Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.");
    if (group.loadBalancerArns.length === 0) throw parameterError(`The target group with targetGroupArn ${entry.targetGroupArn} does not have an associated load balancer.`);
    if (group.targetType !== "ip") {
      throw parameterError(`The provided target group ${entry.targetGroupArn} has target type ${group.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`);
    }
    checkContainer(definition, entry);
    return { targetGroupArn: entry.targetGroupArn, containerName: entry.containerName, containerPort: entry.containerPort };
  });
}
