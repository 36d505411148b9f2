// UpdateNodegroupConfig: scaling (and labels) of a node group. Moor applies the change when the
// call returns, so the update it reports is already Successful; the profile controller adds or
// removes Node objects to match.

import { type EksContext } from "./_context.js";
import { eksError } from "./_errors.js";
import { checkScaling, type ScalingConfig } from "./create-nodegroup.js";
import { requireNodeGroup } from "./describe-nodegroup.js";
import { requireCluster } from "./describe-cluster.js";

export interface UpdateNodegroupConfigRequest {
  clusterName: string;
  nodegroupName: string;
  scalingConfig?: ScalingConfig;
  labels?: { addOrUpdateLabels?: Record<string, string>; removeLabels?: string[] };
  clientRequestToken?: string;
}

export interface UpdateDescription {
  id: string;
  status: string;
  type: string;
  params: { type: string; value: string }[];
  createdAt: Date;
  errors: never[];
}

export function updateNodegroupConfig(context: EksContext, input: UpdateNodegroupConfigRequest): { update: UpdateDescription } {
  const { store } = context;
  const cluster = input.clusterName;
  requireCluster(context, cluster);
  const action = `Cannot update node group ${JSON.stringify(input.nodegroupName)}`;
  const names = { clusterName: cluster, nodegroupName: String(input.nodegroupName) };
  if (!input.scalingConfig && !input.labels) throw eksError("InvalidParameterException", "No changes needed", names);
  const params: { type: string; value: string }[] = [];
  const stored = store.transaction(() => {
    const group = requireNodeGroup(context, cluster, input.nodegroupName);
    const current = { minSize: group.spec.scalingConfig?.minSize ?? 0, maxSize: group.spec.scalingConfig?.maxSize ?? Math.max(group.spec.nodes, 1), desiredSize: group.spec.nodes };
    const scaling = checkScaling({ ...current, ...input.scalingConfig }, action, names);
    for (const [member, type] of [["minSize", "MinSize"], ["maxSize", "MaxSize"], ["desiredSize", "DesiredSize"]] as const) {
      if (input.scalingConfig?.[member] !== undefined) params.push({ type, value: String(scaling[member]) });
    }
    const labels: Record<string, string> = { ...(group.spec.labels ?? {}), ...(input.labels?.addOrUpdateLabels ?? {}) };
    for (const key of input.labels?.removeLabels ?? []) delete labels[key];
    if (input.labels?.addOrUpdateLabels) params.push({ type: "LabelsToAdd", value: JSON.stringify(input.labels.addOrUpdateLabels) });
    if (input.labels?.removeLabels) params.push({ type: "LabelsToRemove", value: JSON.stringify(input.labels.removeLabels) });
    const update = { id: context.randomUuid(), type: "ConfigUpdate", params, createdAt: context.now().toISOString() };
    store.update({
      ...group,
      spec: { ...group.spec, nodes: scaling.desiredSize, scalingConfig: { minSize: scaling.minSize, maxSize: scaling.maxSize }, labels },
      // DescribeUpdate answers from the group's most recent updates.
      status: { ...group.status, modifiedAt: update.createdAt, updates: [...(group.status.updates ?? []), update].slice(-updatesKeptMax) },
    });
    return update;
  });
  return { update: updateDescription(stored) };
}

/** How many of a node group's updates DescribeUpdate can still find. */
export const updatesKeptMax = 20;

export interface StoredUpdate {
  id: string;
  type: string;
  params: { type: string; value: string }[];
  createdAt: string;
}

/** Moor applies an update when it is asked for, so every update it reports has succeeded. */
export function updateDescription(update: StoredUpdate): UpdateDescription {
  return { id: update.id, status: "Successful", type: update.type, params: update.params, createdAt: new Date(update.createdAt), errors: [] };
}
