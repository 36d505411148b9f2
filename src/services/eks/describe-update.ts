// DescribeUpdate: an update of a node group, as UpdateNodegroupConfig reported it (Terraform
// waits on it after a scaling change). Only node-group updates exist here.

import { eksError } from "./_errors.js";
import type { EksContext } from "./_context.js";
import { requireCluster } from "./describe-cluster.js";
import { requireNodeGroup } from "./describe-nodegroup.js";
import { type StoredUpdate, type UpdateDescription, updateDescription } from "./update-nodegroup-config.js";

export interface DescribeUpdateRequest {
  name: string;
  updateId: string;
  nodegroupName?: string;
  addonName?: string;
}

export function describeUpdate(context: EksContext, input: DescribeUpdateRequest): { update: UpdateDescription } {
  requireCluster(context, input.name);
  const updates: StoredUpdate[] = input.nodegroupName === undefined ? [] : (requireNodeGroup(context, input.name, input.nodegroupName).status.updates ?? []);
  const update = updates.find((candidate) => candidate.id === input.updateId);
  if (!update) throw eksError("ResourceNotFoundException", `No update found for ID: ${input.updateId}.`, { clusterName: input.name, ...(input.nodegroupName ? { nodegroupName: input.nodegroupName } : {}) });
  return { update: updateDescription(update) };
}
