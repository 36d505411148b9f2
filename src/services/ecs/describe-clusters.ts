// DescribeClusters and ListClusters: clusters by name or ARN (default "default"); one ECS does
// not know is a failure with reason MISSING, not an error.

import { clusterArn, clusterNameOf } from "../../domain/ecs/mod.js";
import { type CallContext, clusterKind, type EcsContext, page } from "./_context.js";
import { clusterOutput } from "./_describe.js";

export interface DescribeClustersInput {
  clusters?: string[];
  include?: string[];
}

export function describeClusters(context: EcsContext, input: DescribeClustersInput, _call?: CallContext) {
  const clusters = [];
  const failures = [];
  for (const identifier of input.clusters ?? ["default"]) {
    const name = clusterNameOf(identifier);
    const cluster = context.store.get({ kind: clusterKind, name });
    if (cluster) clusters.push(clusterOutput(context, cluster, input.include ?? []));
    else failures.push({ arn: clusterArn(context, name), reason: "MISSING" });
  }
  return { clusters, failures };
}

export function listClusters(context: EcsContext, input: { nextToken?: string; maxResults?: number }, _call?: CallContext) {
  const arns = context.store.list(clusterKind).items.map((cluster) => clusterArn(context, cluster.metadata.name));
  const { items, nextToken } = page(arns, input);
  return { clusterArns: items, nextToken };
}
