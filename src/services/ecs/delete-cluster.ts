// DeleteCluster: refused while the cluster has ACTIVE or DRAINING services or tasks not yet
// STOPPED; otherwise the cluster goes and the answer shows it INACTIVE.

import { type CallContext, type EcsContext, ecsError, requireCluster, serviceKind, taskKind } from "./_context.js";
import { clusterOutput } from "./_describe.js";

export function deleteCluster(context: EcsContext, input: { cluster: string }, _call?: CallContext) {
  const { store } = context;
  return store.transaction(() => {
    const cluster = requireCluster(context, input.cluster);
    const namespace = cluster.metadata.name;
    if (store.list(serviceKind, { namespace }).items.some((service) => service.status?.status !== "INACTIVE")) {
      throw ecsError("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.", "Conflict");
    }
    if (store.list(taskKind, { namespace }).items.some((task) => task.status?.lastStatus !== "STOPPED")) {
      throw ecsError("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.", "Conflict");
    }
    const output = clusterOutput(context, cluster, ["TAGS", "SETTINGS"]);
    for (const task of store.list(taskKind, { namespace }).items) store.delete({ kind: taskKind, namespace, name: task.metadata.name });
    for (const service of store.list(serviceKind, { namespace }).items) store.delete({ kind: serviceKind, namespace, name: service.metadata.name });
    store.delete({ kind: cluster.kind, name: namespace });
    return { cluster: { ...output, status: "INACTIVE" } };
  });
}
