// CreateNodegroup: long-lived nodes for the pods no Fargate profile selects. The group lives in
// the zone of its first subnet; its size is the scaling configuration's desiredSize, from 0 to
// `nodeGroupNodesMax`. It is ACTIVE when the call returns; the profile controller keeps its
// Node objects. `moor nodegroup create` gives a zone and a count instead of subnets.

import type { StoredObject } from "../../store/mod.js";
import { clusterName as defaultClusterName, clusterOf, defaultInstanceType, defaultKubernetesVersion, eksApiVersion, eksName, type EksContext, nodeGroupKind, objectName } from "./_context.js";
import { describeNodeGroupObject, type NodegroupDescription } from "./_describe.js";
import { eksError } from "./_errors.js";
import { requireCluster } from "./describe-cluster.js";

/** What `moor nodegroup create` gives, for the default cluster. */
export interface CreateNodeGroupInput {
  name: string;
  zone?: string;
  nodes?: number;
}

export interface ScalingConfig {
  minSize?: number;
  maxSize?: number;
  desiredSize?: number;
}

/** The EKS API's request, in the model's member names. */
export interface CreateNodegroupRequest {
  clusterName: string;
  nodegroupName: string;
  subnets: string[];
  nodeRole: string;
  scalingConfig?: ScalingConfig;
  instanceTypes?: string[];
  amiType?: string;
  capacityType?: string;
  diskSize?: number;
  labels?: Record<string, string>;
  tags?: Record<string, string>;
  version?: string;
  clientRequestToken?: string;
}

export const nodeGroupNodesMax = 20;

export function createNodegroup(context: EksContext, input: CreateNodegroupRequest): { nodegroup: NodegroupDescription } {
  const cluster = requireCluster(context, input.clusterName);
  const group = createNodeGroupObject(context, { ...input, version: input.version ?? cluster.spec.version });
  return { nodegroup: describeNodeGroupObject(context, group) };
}

/** The old `moor nodegroup` request, as a CreateNodegroup request on the default cluster. */
export function nodeGroupRequest(context: EksContext, input: CreateNodeGroupInput): CreateNodegroupRequest {
  const subnet = input.zone ? context.vpc.subnets.find((candidate) => candidate.availabilityZone === input.zone) : context.vpc.subnets[0];
  if (!subnet) {
    throw eksError("InvalidParameterException", `Cannot create node group ${JSON.stringify(input.name)}: zone ${JSON.stringify(input.zone)} is not one of ${context.vpc.subnets.map((s) => s.availabilityZone).join(", ")}`);
  }
  const nodes = input.nodes ?? 1;
  return {
    clusterName: defaultClusterName,
    nodegroupName: input.name,
    subnets: [subnet.subnetId],
    nodeRole: `arn:aws:iam::${context.accountId}:role/moor-node`,
    scalingConfig: { minSize: 0, maxSize: Math.max(Number.isInteger(nodes) ? nodes : 1, 1), desiredSize: nodes },
  };
}

export function createNodeGroupObject(context: EksContext, input: CreateNodegroupRequest): StoredObject {
  const { store } = context;
  const cluster = input.clusterName;
  const name = input.nodegroupName;
  const names = { clusterName: cluster, nodegroupName: String(name) };
  const action = `Cannot create node group ${JSON.stringify(name)}`;
  if (typeof name !== "string" || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) throw eksError("InvalidParameterException", `${action}: the name must be a DNS label`, names);
  const scaling = checkScaling(input.scalingConfig ?? {}, action, names);
  const subnets = input.subnets ?? [];
  const first = subnets.length > 0 ? context.subnet(subnets[0]!) : undefined;
  const unknown = subnets.find((id) => !context.subnet(id));
  if (unknown || !first) throw eksError("InvalidParameterException", `${action}: subnet ${JSON.stringify(unknown ?? "")} does not exist`, names);
  return store.transaction(() => {
    const groups = store.list(nodeGroupKind).items.filter((group) => clusterOf(group) === cluster);
    if (groups.some((group) => eksName(group) === name)) throw eksError("ResourceInUseException", `NodeGroup already exists with name ${name} and cluster name ${cluster}`, names, "AlreadyExists");
    const now = context.now().toISOString();
    return store.create({
      apiVersion: eksApiVersion,
      kind: nodeGroupKind,
      metadata: { name: objectName(cluster, name) },
      spec: {
        clusterName: cluster,
        zone: first.availabilityZone,
        subnetId: first.subnetId,
        nodes: scaling.desiredSize,
        scalingConfig: { minSize: scaling.minSize, maxSize: scaling.maxSize },
        subnets: [...subnets],
        nodeRole: input.nodeRole,
        instanceTypes: [...(input.instanceTypes ?? [defaultInstanceType])],
        amiType: input.amiType ?? "AL2023_x86_64_STANDARD",
        capacityType: input.capacityType ?? "ON_DEMAND",
        diskSize: input.diskSize ?? 20,
        version: input.version ?? defaultKubernetesVersion,
        ...(input.labels ? { labels: { ...input.labels } } : {}),
        ...(input.tags ? { tags: { ...input.tags } } : {}),
      },
      status: {
        status: "ACTIVE",
        nodegroupArn: `arn:aws:eks:${context.region}:${context.accountId}:nodegroup/${cluster}/${name}/${context.randomUuid()}`,
        createdAt: now,
        modifiedAt: now,
      },
    });
  });
}

/** minSize ≤ desiredSize ≤ maxSize, whole numbers, the desired size at most `nodeGroupNodesMax`. */
export function checkScaling(config: ScalingConfig, action: string, names: Record<string, string>): Required<ScalingConfig> {
  const desiredSize = config.desiredSize ?? 2;
  const minSize = config.minSize ?? Math.min(1, desiredSize);
  const maxSize = config.maxSize ?? Math.max(2, desiredSize);
  for (const [member, value] of Object.entries({ minSize, maxSize, desiredSize })) {
    if (!Number.isInteger(value) || value < 0) throw eksError("InvalidParameterException", `${action}: ${member} must be a whole number of 0 or more`, names);
  }
  if (maxSize < 1) throw eksError("InvalidParameterException", `${action}: maxSize must be at least 1`, names);
  if (minSize > maxSize) throw eksError("InvalidParameterException", "Minimum capacity " + minSize + " can't be greater than maximum capacity " + maxSize, names);
  if (desiredSize < minSize || desiredSize > maxSize) throw eksError("InvalidParameterException", `${action}: desiredSize ${desiredSize} must be between minSize ${minSize} and maxSize ${maxSize}`, names);
  if (desiredSize > nodeGroupNodesMax) throw eksError("InvalidParameterException", `${action}: nodes must be a whole number from 0 to ${nodeGroupNodesMax}`, names);
  return { minSize, maxSize, desiredSize };
}
