// Every address Moor hands out as an EC2 network interface: a pod's (with the cluster group),
// a mount target's (with its own groups), a node-group node's. Read from the stored objects;
// Fargate nodes share their pod's address and interface, so they add none.

import type { Vpc } from "../network/mod.js";
import { subnetContains } from "../network/mod.js";
import { clusterSecurityGroupId, type NetworkInterface, podSecurityGroupIds } from "./_model.js";

interface Named {
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface PodLike extends Named {
  status?: { podIP?: string; phase?: string };
}

export interface MountTargetLike extends Named {
  spec: { ipAddress: string; securityGroups: string[]; networkInterfaceId: string; subnetId: string; availabilityZoneName: string; fileSystemId: string };
  status?: { lifeCycleState?: string };
}

export interface NodeLike extends Named {
  status?: { addresses?: { type: string; address: string }[] };
}

/** `eni-` and the last 17 hex digits of a pod's uid, so a pod's interface id never changes. */
export function podInterfaceId(uid: string): string {
  return `eni-${uid.replace(/[^0-9a-f]/gi, "").toLowerCase().padStart(17, "0").slice(-17)}`;
}

export function networkInterfacesOf(vpc: Vpc, objects: { pods: PodLike[]; mountTargets: MountTargetLike[]; nodes: NodeLike[] }): NetworkInterface[] {
  const place = (ip: string) => {
    const subnet = vpc.subnets.find((candidate) => subnetContains(candidate, ip));
    return subnet ? { subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone } : {};
  };
  const interfaces: NetworkInterface[] = [];
  for (const pod of objects.pods) {
    const ip = pod.status?.podIP;
    if (!ip || !pod.metadata.uid || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    const name = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
    interfaces.push({ networkInterfaceId: podInterfaceId(pod.metadata.uid), ip, securityGroupIds: podSecurityGroupIds(pod.metadata.annotations), ...place(ip), interfaceType: "fargate", description: `Moor pod ${name}` });
  }
  for (const target of objects.mountTargets) {
    if (target.status?.lifeCycleState === "deleted") continue;
    interfaces.push({
      networkInterfaceId: target.spec.networkInterfaceId,
      ip: target.spec.ipAddress,
      securityGroupIds: target.spec.securityGroups,
      subnetId: target.spec.subnetId,
      availabilityZone: target.spec.availabilityZoneName,
      interfaceType: "efs",
      description: `EFS mount target for ${target.spec.fileSystemId} (${target.metadata.name})`,
    });
  }
  for (const node of objects.nodes) {
    if (node.metadata.labels?.["eks.amazonaws.com/compute-type"] === "fargate") continue;
    const ip = node.status?.addresses?.find((address) => address.type === "InternalIP")?.address;
    if (!ip || !node.metadata.uid) continue;
    interfaces.push({ networkInterfaceId: podInterfaceId(node.metadata.uid), ip, securityGroupIds: [clusterSecurityGroupId], ...place(ip), interfaceType: "interface", description: `Moor node ${node.metadata.name}` });
  }
  return interfaces;
}
