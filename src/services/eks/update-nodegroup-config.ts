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
  store.transaction(() => {
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
    store.update({
      ...group,
      spec: { ...group.spec, nodes: scaling.desiredSize, scalingConfig: { minSize: scaling.minSize, maxSize: scaling.maxSize }, labels },
      status: { ...group.status, modifiedAt: context.now().toISOString() },
    });
  });
  return { update: { id: context.randomUuid(), status: "Successful", type: "ConfigUpdate", params, createdAt: context.now(), errors: [] } };
}
