// The profile controller: what follows from Fargate profiles and node groups once the EKS
// service (src/services/eks) has written them. A profile marked DELETING loses the pods it
// placed (they are re-placed through another profile or stay Pending), as on EKS, and then goes
// itself; a node group keeps a fixed number of Node objects in its zone.

import { type Clock, timestamp } from "../../clock/mod.js";
import type { MoorConfig } from "../../config/mod.js";
import { addressRanges, embeddedVpc, numberToIp } from "../../domain/network/mod.js";
import { profileLabel } from "../../domain/scheduling/mod.js";
import type { Store } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { agentLabel, internalIp, nodeDomain, nodeGroupLabel, zoneLabel } from "../scheduler/mod.js";

export interface ProfileControllerOptions {
  store: Store;
  config: MoorConfig;
  /** The node agent that serves node-group nodes. */
  agentName: string;
  clock: Clock;
}

/** Keeps node groups' Node objects and finishes profile deletions. */
export function createProfileController(options: ProfileControllerOptions): ControllerRuntime {
  const { store, config, agentName, clock } = options;
  const key = (kind: string, name: string) => objectKey({ kind, name });
  const controller: Controller = {
    name: "profiles",
    kinds: ["FargateProfile", "NodeGroup"],
    keysFor: (event) => [key(event.object.kind, event.object.metadata.name)],
    allKeys: () => [
      ...store.list("FargateProfile").items.map((p) => key("FargateProfile", p.metadata.name)),
      ...store.list("NodeGroup").items.map((g) => key("NodeGroup", g.metadata.name)),
      ...orphanGroups(store).map((group) => key("NodeGroup", group)),
    ],
    reconcile: (queued) => {
      const { kind, name } = splitKey(queued);
      if (kind === "FargateProfile") return finishProfileDeletion(store, name, clock.now());
      return reconcileNodeGroup(store, config, agentName, name);
    },
  };
  return new ControllerRuntime({ name: "profiles", store, clock, controllers: [controller] });
}

function finishProfileDeletion(store: Store, name: string, now: Date): void {
  const profile = store.get({ kind: "FargateProfile", name });
  if (!profile || profile.status?.status !== "DELETING") return;
  for (const pod of store.list("Pod").items) {
    if (pod.metadata.labels?.[profileLabel] !== name || pod.metadata.deletionTimestamp) continue;
    store.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: timestamp(now), deletionGracePeriodSeconds: 30 } });
  }
  store.delete({ kind: "FargateProfile", name });
}

function orphanGroups(store: Store): string[] {
  const groups = new Set(store.list("Node").items.map((node) => node.metadata.labels?.[nodeGroupLabel]).filter((g): g is string => Boolean(g)));
  return [...groups];
}

function reconcileNodeGroup(store: Store, config: MoorConfig, agentName: string, name: string): void {
  const group = store.get({ kind: "NodeGroup", name });
  const nodes = store.list("Node").items.filter((node) => node.metadata.labels?.[nodeGroupLabel] === name);
  const wanted = group ? (group.spec.nodes as number) : 0;
  for (const extra of nodes.slice(wanted)) store.delete({ kind: "Node", name: extra.metadata.name });
  if (!group || nodes.length >= wanted) return;
  const vpc = embeddedVpc(config.region);
  const subnet = vpc.subnets.find((candidate) => candidate.subnetId === group.spec.subnetId) ?? vpc.subnets[0]!;
  store.transaction(() => {
    const used = new Set(store.list("Node").items.map(internalIp));
    // Node-group nodes take addresses from the top of the Fargate range, downwards.
    let address = addressRanges(subnet).fargate.last;
    for (let count = nodes.length; count < wanted; count++) {
      while (used.has(numberToIp(address))) address--;
      const ip = numberToIp(address);
      used.add(ip);
      const nodeName = `ip-${ip.replaceAll(".", "-")}.${nodeDomain(config.region)}`;
      store.create({
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: nodeName,
          labels: {
            [nodeGroupLabel]: name,
            "eks.amazonaws.com/nodegroup": name,
            "eks.amazonaws.com/capacityType": "ON_DEMAND",
            [agentLabel]: agentName,
            [zoneLabel]: subnet.availabilityZone,
            "topology.kubernetes.io/region": config.region,
            "kubernetes.io/hostname": nodeName,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "moor.dev/subnet": subnet.subnetId,
          },
        },
        spec: { providerID: `aws:///${subnet.availabilityZone}/${nodeName}` },
        status: { addresses: [{ type: "InternalIP", address: ip }, { type: "Hostname", address: nodeName }], conditions: [] },
      });
    }
  });
}
