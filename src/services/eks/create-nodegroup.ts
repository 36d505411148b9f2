// CreateNodegroup: long-lived nodes, in one zone, for the pods no Fargate profile selects. The
// name is a DNS label, the zone one of the VPC's, the node count 0 to `nodeGroupNodesMax`. The
// profile controller keeps the group's Node objects.

import { alreadyExists, invalid } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { eksApiVersion, type EksContext, nodeGroupKind } from "./_context.js";

export interface CreateNodeGroupInput {
  name: string;
  zone?: string;
  nodes?: number;
}

export const nodeGroupNodesMax = 20;

export function createNodeGroup(context: EksContext, input: CreateNodeGroupInput): StoredObject {
  const { store, vpc } = context;
  const action = `Cannot create node group ${JSON.stringify(input.name)}`;
  const subnet = input.zone ? vpc.subnets.find((candidate) => candidate.availabilityZone === input.zone) : vpc.subnets[0];
  if (typeof input.name !== "string" || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(input.name)) throw invalid(`${action}: the name must be a DNS label`);
  if (!subnet) throw invalid(`${action}: zone ${JSON.stringify(input.zone)} is not one of ${vpc.subnets.map((s) => s.availabilityZone).join(", ")}`);
  const nodes = input.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > nodeGroupNodesMax) throw invalid(`${action}: nodes must be a whole number from 0 to ${nodeGroupNodesMax}`);
  return store.transaction(() => {
    if (store.get({ kind: nodeGroupKind, name: input.name })) throw alreadyExists(`${action}: it already exists`);
    return store.create({
      apiVersion: eksApiVersion,
      kind: nodeGroupKind,
      metadata: { name: input.name },
      spec: { zone: subnet.availabilityZone, subnetId: subnet.subnetId, nodes },
      status: { status: "ACTIVE" },
    });
  });
}
