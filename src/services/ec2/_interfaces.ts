// Every address Moor has handed out, as network interfaces, read from the stored pods, mount
// targets and nodes.

import { mountTargetKind } from "../../domain/efs/mod.js";
import { type MountTargetLike, type NetworkInterface, networkInterfacesOf, type NodeLike, type PodLike } from "../../domain/securitygroups/mod.js";
import type { Ec2Context } from "./_context.js";

export function listInterfaces(context: Ec2Context): NetworkInterface[] {
  const { store } = context;
  return networkInterfacesOf(context.vpc, {
    pods: store.list("Pod").items as PodLike[],
    mountTargets: store.list(mountTargetKind).items as MountTargetLike[],
    nodes: store.list("Node").items as NodeLike[],
  });
}
