// DescribeInstanceStatus: running instances (all of them with IncludeAllInstances), with the
// system and instance checks `ok` once running, as the CLI's `instance-status-ok` waiter reads.

import type { Ec2Context } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";
import { instanceField } from "./describe-instances.js";
import { listInstances, requireInstances, stateOf } from "./_instances.js";

export interface DescribeInstanceStatusInput {
  InstanceIds?: string[];
  Filters?: Filter[];
  IncludeAllInstances?: boolean;
}

export function describeInstanceStatus(context: Ec2Context, input: DescribeInstanceStatusInput) {
  const chosen = input.InstanceIds?.length ? requireInstances(context, input.InstanceIds) : listInstances(context);
  const shown = chosen.filter((instance) => input.IncludeAllInstances || instance.status.state === "running");
  return {
    InstanceStatuses: applyFilters(shown, input.Filters, instanceField, (instance) => instance.spec.tags).map((instance) => {
      const running = instance.status.state === "running";
      const check = { Status: running ? "ok" : "not-applicable", Details: running ? [{ Name: "reachability", Status: "passed" }] : [] };
      return { AvailabilityZone: instance.spec.availabilityZone, InstanceId: instance.metadata.name, InstanceState: stateOf(instance.status.state), InstanceStatus: check, SystemStatus: check, AttachedEbsStatus: check };
    }),
  };
}
