// DeleteNodegroup: the group goes at once (the answer shows it DELETING); the profile controller
// removes its nodes.

import { type EksContext, nodeGroupKind } from "./_context.js";
import { describeNodeGroupObject, type NodegroupDescription } from "./_describe.js";
import { type NodegroupRequest, requireNodeGroup } from "./describe-nodegroup.js";
import { requireCluster } from "./describe-cluster.js";

export function deleteNodegroup(context: EksContext, input: NodegroupRequest): { nodegroup: NodegroupDescription } {
  requireCluster(context, input.clusterName);
  return { nodegroup: { ...describeNodeGroupObject(context, removeNodeGroup(context, input.clusterName, input.nodegroupName)), status: "DELETING" } };
}

export function removeNodeGroup(context: EksContext, cluster: string, name: string) {
  const { store } = context;
  return store.transaction(() => {
    const group = requireNodeGroup(context, cluster, name);
    store.delete({ kind: nodeGroupKind, name: group.metadata.name });
    return group;
  });
}
