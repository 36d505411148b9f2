// RegisterTargets: ip targets are addresses in the VPC's block (the pods'
// and tasks' addresses), each with the group's port unless one is given; instance targets need
// instances, which Moor does not run yet (InvalidTarget). Registering a target twice keeps one.
// The load balancer controller hands the change to the proxy, which adds or deletes the server
// at run time; its first check runs at once.

import { elbError, type Elbv2Context, targetGroupByArn, type TargetGroupSpec, validationError } from "./_context.js";

export interface TargetDescription {
  Id?: string;
  Port?: number;
  AvailabilityZone?: string;
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function targetsOf(group: TargetGroupSpec, targets: TargetDescription[] | undefined): { id: string; port: number }[] {
  if (!targets?.length) throw validationError("Targets must be specified");
  return targets.map((target) => {
    const id = target.Id ?? "";
    const port = target.Port ?? group.port;
    if (!(port >= 1 && port <= 65535)) throw validationError(`Port '${port}' must be between 1 and 65535`);
    if (group.targetType === "instance") {
      throw elbError("Invalid", "InvalidTarget", `The following targets are not in a running state and cannot be registered: '${id}'`);
    }
    const parts = ipv4.exec(id)?.slice(1).map(Number);
    if (!parts || parts.some((part) => part > 255)) throw elbError("Invalid", "InvalidTarget", `The IP address '${id}' is not a valid IPv4 address`);
    // The embedded VPC's block is 10.42.0.0/16 (src/domain/network); its load balancers sit at 10.42.255.x.
    if (parts[0] !== 10 || parts[1] !== 42 || parts[2] === 255) {
      throw elbError("Invalid", "InvalidTarget", `The IP address '${id}' is not within the CIDR of VPC '${group.vpcId}'`);
    }
    return { id, port };
  });
}

export const same = (a: { id: string; port: number }, b: { id: string; port: number }) => a.id === b.id && a.port === b.port;

export function registerTargets(context: Elbv2Context, input: { TargetGroupArn?: string; Targets?: TargetDescription[] }): Record<string, never> {
  const group = targetGroupByArn(context, input.TargetGroupArn ?? "");
  const added = targetsOf(group.spec, input.Targets);
  const targets = [...group.spec.targets];
  for (const target of added) if (!targets.some((other) => same(other, target))) targets.push(target);
  if (targets.length !== group.spec.targets.length) context.store.update({ ...group, spec: { ...group.spec, targets } });
  return {};
}

