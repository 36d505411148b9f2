// DescribeInstanceCreditSpecifications: burstable (T-family) instances' CPU credits, `standard`
// for t2 and `unlimited` for the later families, as AWS defaults them; others are not listed.

import type { Ec2Context } from "./_context.js";
import { listInstances, requireInstances } from "./_instances.js";

export function describeInstanceCreditSpecifications(context: Ec2Context, input: { InstanceIds?: string[] }) {
  const chosen = input.InstanceIds?.length ? requireInstances(context, input.InstanceIds) : listInstances(context);
  return {
    InstanceCreditSpecifications: chosen
      .filter((instance) => /^t\d/.test(instance.spec.instanceType))
      .map((instance) => ({ InstanceId: instance.metadata.name, CpuCredits: instance.spec.instanceType.startsWith("t2.") ? "standard" : "unlimited" })),
  };
}
