// The EKS service: Fargate profiles and node groups of the one cluster Moor runs, each
// operation's checks, store writes and errors in one place for every front end (the kube API
// writes FargateProfile objects through it, the moor API both kinds; a later EKS wire API lands
// on top of it). Profiles are immutable and are deleted by marking them DELETING; the profile
// controller (controllers/profiles) finishes deletions and keeps node groups' nodes.

import { randomUUID } from "node:crypto";
import { embeddedVpc, type Vpc } from "../../domain/network/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import type { EksContext } from "./_context.js";
import { createFargateProfile, type CreateFargateProfileInput } from "./create-fargate-profile.js";
import { createNodeGroup, type CreateNodeGroupInput } from "./create-nodegroup.js";
import { deleteFargateProfile } from "./delete-fargate-profile.js";
import { deleteNodeGroup } from "./delete-nodegroup.js";
import { describeFargateProfile, listFargateProfiles } from "./describe-fargate-profile.js";
import { describeNodeGroup, listNodeGroups } from "./describe-nodegroup.js";

export { clusterName, eksApiVersion, fargateProfileKind, nodeGroupKind } from "./_context.js";
export type { CreateFargateProfileInput } from "./create-fargate-profile.js";
export { type CreateNodeGroupInput, nodeGroupNodesMax } from "./create-nodegroup.js";

export interface EksService {
  createFargateProfile(input: CreateFargateProfileInput): StoredObject;
  /** Marks the profile DELETING and returns it so. */
  deleteFargateProfile(name: string): StoredObject;
  describeFargateProfile(name: string): StoredObject;
  listFargateProfiles(): StoredObject[];
  createNodeGroup(input: CreateNodeGroupInput): StoredObject;
  deleteNodeGroup(name: string): void;
  describeNodeGroup(name: string): StoredObject;
  listNodeGroups(): StoredObject[];
  /** `moor up`'s profile for default and kube-system, made once unless the user removed it. */
  ensureDefaultProfile(): void;
}

export interface EksServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  vpc?: Vpc;
  now?: () => Date;
  randomUuid?: () => string;
}

const defaultProfileMarker = "default-profile-made";

export function createEksService(options: EksServiceOptions): EksService {
  const context: EksContext = {
    store: options.store,
    region: options.region,
    accountId: options.accountId,
    vpc: options.vpc ?? embeddedVpc(options.region),
    now: options.now ?? (() => new Date()),
    randomUuid: options.randomUuid ?? randomUUID,
  };
  const { store } = context;
  return {
    createFargateProfile: (input) => createFargateProfile(context, input),
    deleteFargateProfile: (name) => deleteFargateProfile(context, name),
    describeFargateProfile: (name) => describeFargateProfile(context, name),
    listFargateProfiles: () => listFargateProfiles(context),
    createNodeGroup: (input) => createNodeGroup(context, input),
    deleteNodeGroup: (name) => deleteNodeGroup(context, name),
    describeNodeGroup: (name) => describeNodeGroup(context, name),
    listNodeGroups: () => listNodeGroups(context),
    ensureDefaultProfile() {
      if (listFargateProfiles(context).length > 0 || store.get({ kind: "Marker", name: defaultProfileMarker })) return;
      createFargateProfile(context, { name: "default", selectors: [{ namespace: "default" }, { namespace: "kube-system" }] });
      store.create({ apiVersion: "moor.dev/v1", kind: "Marker", metadata: { name: defaultProfileMarker } });
    },
  };
}
