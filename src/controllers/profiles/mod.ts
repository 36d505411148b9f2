// Fargate profiles and node groups: how an operator says which pods run serverless and which
// long-lived nodes exist for the rest. Profiles are immutable; deleting one deletes the pods it
// placed (they are re-placed through another profile or stay Pending), as on EKS. Node groups
// keep a fixed number of nodes in one zone.

import { randomUUID } from "node:crypto";
import { type Clock, timestamp } from "../../clock/mod.js";
import type { MoorConfig } from "../../config/mod.js";
import { addressRanges, embeddedVpc, numberToIp } from "../../domain/network/mod.js";
import { type FargateProfileSpec, profileLabel, profileProblem, profilesPerClusterMax } from "../../domain/scheduling/mod.js";
import { alreadyExists, conflict, invalid, limitExceeded, notFound } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { agentLabel, internalIp, nodeDomain, nodeGroupLabel, zoneLabel } from "../scheduler/mod.js";

export const clusterName = "moor";
export const profileApiVersion = "eks.moor.dev/v1";

export interface ProfileInput {
  name: string;
  selectors: { namespace: string; labels?: Record<string, string> }[];
  subnets?: string[];
  podExecutionRoleArn?: string;
  tags?: Record<string, string>;
}

export function createProfile(store: Store, config: MoorConfig, input: ProfileInput): StoredObject {
  const vpc = embeddedVpc(config.region);
  const spec: FargateProfileSpec = {
    clusterName,
    podExecutionRoleArn: input.podExecutionRoleArn ?? `arn:aws:iam::${config.accountId}:role/moor-fargate-pod-execution`,
    subnets: input.subnets && input.subnets.length > 0 ? input.subnets : vpc.subnets.map((subnet) => subnet.subnetId),
    selectors: input.selectors,
    ...(input.tags ? { tags: input.tags } : {}),
  };
  const problem = profileProblem(input.name, spec, vpc.subnets.map((subnet) => subnet.subnetId));
  if (problem) throw invalid(`Cannot create Fargate profile "${input.name}": ${problem}`);
  return store.transaction(() => {
    const profiles = store.list("FargateProfile").items;
    if (profiles.some((profile) => profile.metadata.name === input.name)) throw alreadyExists(`Cannot create Fargate profile "${input.name}": it already exists`);
    if (profiles.some((profile) => profile.status?.status === "DELETING")) throw conflict(`Cannot create Fargate profile "${input.name}": another profile is being deleted`);
    if (profiles.length >= profilesPerClusterMax) throw limitExceeded(`Cannot create Fargate profile "${input.name}": the cluster has the maximum of ${profilesPerClusterMax} profiles`);
    return store.create({
      apiVersion: profileApiVersion,
      kind: "FargateProfile",
      metadata: { name: input.name },
      spec,
      status: {
        status: "ACTIVE",
        fargateProfileArn: `arn:aws:eks:${config.region}:${config.accountId}:fargateprofile/${clusterName}/${input.name}/${randomUUID()}`,
        createdAt: new Date().toISOString(),
      },
    });
  });
}

/** Marks the profile DELETING; the profile controller removes its pods and then the profile. */
export function deleteProfile(store: Store, name: string): StoredObject {
  return store.transaction(() => {
    const profile = store.get({ kind: "FargateProfile", name });
    if (!profile) throw notFound(`Cannot delete Fargate profile "${name}": it does not exist`);
    const others = store.list("FargateProfile").items.filter((other) => other.metadata.name !== name && other.status?.status === "DELETING");
    if (others.length > 0) throw conflict(`Cannot delete Fargate profile "${name}": profile "${others[0]!.metadata.name}" is being deleted`);
    return store.update({ ...profile, status: { ...profile.status, status: "DELETING" } });
  });
}

export interface NodeGroupInput {
  name: string;
  zone?: string;
  nodes?: number;
}

const nodeGroupNodesMax = 20;

export function createNodeGroup(store: Store, config: MoorConfig, input: NodeGroupInput): StoredObject {
  const vpc = embeddedVpc(config.region);
  const subnet = input.zone ? vpc.subnets.find((candidate) => candidate.availabilityZone === input.zone) : vpc.subnets[0];
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(input.name)) throw invalid(`Cannot create node group "${input.name}": the name must be a DNS label`);
  if (!subnet) throw invalid(`Cannot create node group "${input.name}": zone "${input.zone}" is not one of ${vpc.subnets.map((s) => s.availabilityZone).join(", ")}`);
  const nodes = input.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > nodeGroupNodesMax) throw invalid(`Cannot create node group "${input.name}": nodes must be a whole number from 0 to ${nodeGroupNodesMax}`);
  if (store.get({ kind: "NodeGroup", name: input.name })) throw alreadyExists(`Cannot create node group "${input.name}": it already exists`);
  return store.create({
    apiVersion: profileApiVersion,
    kind: "NodeGroup",
    metadata: { name: input.name },
    spec: { zone: subnet.availabilityZone, subnetId: subnet.subnetId, nodes },
    status: { status: "ACTIVE" },
  });
}

export function deleteNodeGroup(store: Store, name: string): void {
  if (!store.get({ kind: "NodeGroup", name })) throw notFound(`Cannot delete node group "${name}": it does not exist`);
  store.delete({ kind: "NodeGroup", name });
}

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

/** `moor up` makes a profile for default and kube-system unless told not to. */
export function ensureDefaultProfile(store: Store, config: MoorConfig): void {
  if (store.list("FargateProfile").items.length > 0 || store.get({ kind: "Marker", name: "default-profile-made" })) return;
  createProfile(store, config, { name: "default", selectors: [{ namespace: "default" }, { namespace: "kube-system" }] });
  store.create({ apiVersion: "moor.dev/v1", kind: "Marker", metadata: { name: "default-profile-made" } });
}
