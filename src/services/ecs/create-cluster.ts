// CreateCluster: a name (default "default") made ACTIVE at once; the same name again answers
// the existing cluster, as ECS does.

import { type CallContext, clusterKind, type EcsContext, ecsApiVersion, type Tag } from "./_context.js";
import { clusterOutput } from "./_describe.js";

export interface CreateClusterInput {
  clusterName?: string;
  tags?: Tag[];
  settings?: { name?: string; value?: string }[];
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: unknown[];
  configuration?: unknown;
}

export function createCluster(context: EcsContext, input: CreateClusterInput, _call?: CallContext) {
  const name = input.clusterName ?? "default";
  return context.store.transaction(() => {
    const existing = context.store.get({ kind: clusterKind, name });
    if (existing) return { cluster: clusterOutput(context, existing, ["TAGS", "SETTINGS"]) };
    const created = context.store.create({
      apiVersion: ecsApiVersion,
      kind: clusterKind,
      metadata: { name },
      spec: {
        tags: input.tags ?? [],
        settings: input.settings ?? [{ name: "containerInsights", value: "disabled" }],
        capacityProviders: input.capacityProviders ?? [],
        defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
        ...(input.configuration ? { configuration: input.configuration } : {}),
      },
    });
    return { cluster: clusterOutput(context, created, ["TAGS", "SETTINGS"]) };
  });
}
