// DescribeNodegroup and ListNodegroups: the node groups of one cluster as stored.

import type { StoredObject } from "../../store/mod.js";
import { clusterOf, eksName, type EksContext, nodeGroupKind, objectName } from "./_context.js";
import { describeNodeGroupObject, type NodegroupDescription } from "./_describe.js";
import { eksError } from "./_errors.js";
import { type ListInput, pageOf, requireCluster } from "./describe-cluster.js";

export interface NodegroupRequest {
  clusterName: string;
  nodegroupName: string;
}

export function requireNodeGroup(context: EksContext, cluster: string, name: string): StoredObject {
  const group = typeof name === "string" ? context.store.get({ kind: nodeGroupKind, name: objectName(cluster, name) }) : undefined;
  if (!group || clusterOf(group) !== cluster) {
    throw eksError("ResourceNotFoundException", `No node group found for name: ${name}.`, { clusterName: cluster, nodegroupName: String(name) });
  }
  return group;
}

export function describeNodegroup(context: EksContext, input: NodegroupRequest): { nodegroup: NodegroupDescription } {
  requireCluster(context, input.clusterName);
  return { nodegroup: describeNodeGroupObject(context, requireNodeGroup(context, input.clusterName, input.nodegroupName)) };
}

export function listNodegroups(context: EksContext, input: { clusterName: string } & ListInput): { nodegroups: string[]; nextToken?: string } {
  requireCluster(context, input.clusterName);
  const names = context.store.list(nodeGroupKind).items.filter((group) => clusterOf(group) === input.clusterName).map(eksName).sort();
  const { items, nextToken } = pageOf(names, input, 100);
  return { nodegroups: items, ...(nextToken ? { nextToken } : {}) };
}
