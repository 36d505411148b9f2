// DeleteCluster: refused while the cluster has node groups or Fargate profiles, as on EKS; else
// the cluster goes at once and the answer shows it DELETING.

import { clusterKind, clusterOf, type EksContext, fargateProfileKind, nodeGroupKind } from "./_context.js";
import { type ClusterDescription, describeClusterObject } from "./_describe.js";
import { eksError } from "./_errors.js";
import { requireCluster } from "./describe-cluster.js";

export function deleteCluster(context: EksContext, input: { name: string }): { cluster: ClusterDescription } {
  const { store } = context;
  const name = input.name;
  return store.transaction(() => {
    const cluster = requireCluster(context, name);
    const inCluster = (kind: string) => store.list(kind).items.filter((object) => clusterOf(object) === name);
    if (inCluster(nodeGroupKind).length > 0) throw eksError("ResourceInUseException", "Cluster has nodegroups attached", { clusterName: name });
    if (inCluster(fargateProfileKind).length > 0) throw eksError("ResourceInUseException", "Cluster has fargate profiles attached", { clusterName: name });
    store.delete({ kind: clusterKind, name });
    const description = describeClusterObject(context, cluster);
    return { cluster: { ...description, status: "DELETING" } };
  });
}
