// The EKS service: clusters, Fargate profiles and managed node groups, each operation's checks,
// store writes and errors in one place for every front end. The AWS front end calls
// `operations` (the EKS model's operation names, inputs and outputs in its member names, errors
// carrying EKS's codes); the kube API writes FargateProfile objects and the moor API profiles
// and node groups of the default cluster through the other methods, which are the same rules.
//
// Every cluster is a name for Moor's one Kubernetes API: DescribeCluster's endpoint and CA are
// its. Clusters, profiles and node groups are ACTIVE when their create call returns. Profiles
// are immutable and are deleted by marking them DELETING; the profile controller
// (controllers/profiles) finishes deletions and keeps node groups' nodes.

import { randomUUID } from "node:crypto";
import { embeddedVpc, type Vpc } from "../../domain/network/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { clusterKind, clusterName, type EksContext, fargateProfileKind, type KubeEndpoint, nodeGroupKind, type SubnetInfo } from "./_context.js";
import { createCluster, createClusterObject } from "./create-cluster.js";
import { createFargateProfile, type CreateFargateProfileInput, createProfileObject } from "./create-fargate-profile.js";
import { createNodegroup, type CreateNodeGroupInput, createNodeGroupObject, nodeGroupRequest } from "./create-nodegroup.js";
import { deleteCluster } from "./delete-cluster.js";
import { deleteFargateProfile, markProfileDeleting } from "./delete-fargate-profile.js";
import { deleteNodegroup, removeNodeGroup } from "./delete-nodegroup.js";
import { describeCluster, listClusters } from "./describe-cluster.js";
import { describeFargateProfile, listFargateProfiles, requireProfile } from "./describe-fargate-profile.js";
import { describeNodegroup, listNodegroups, requireNodeGroup } from "./describe-nodegroup.js";
import { updateNodegroupConfig } from "./update-nodegroup-config.js";
import { describeUpdate } from "./describe-update.js";

export { clusterKind, clusterName, eksApiVersion, fargateProfileKind, type KubeEndpoint, nodeGroupKind, type SubnetInfo } from "./_context.js";
export type { ClusterDescription, FargateProfileDescription, NodegroupDescription } from "./_describe.js";
export type { CreateClusterInput } from "./create-cluster.js";
export type { CreateFargateProfileInput, CreateFargateProfileRequest } from "./create-fargate-profile.js";
export { type CreateNodegroupRequest, type CreateNodeGroupInput, nodeGroupNodesMax } from "./create-nodegroup.js";
export type { UpdateNodegroupConfigRequest } from "./update-nodegroup-config.js";

/** An EKS operation as the AWS front end calls it; the request context is not needed here. */
export type EksOperation = (input: any, context?: unknown) => unknown;

export interface EksService {
  /** The botocore service name. */
  readonly name: "eks";
  /** The EKS API, by the model's operation names. */
  readonly operations: Record<string, EksOperation>;
  /** The default cluster's profiles, for `moor profile` and kubectl. */
  createFargateProfile(input: CreateFargateProfileInput): StoredObject;
  /** Marks the profile DELETING and returns it so. */
  deleteFargateProfile(name: string): StoredObject;
  describeFargateProfile(name: string): StoredObject;
  /** Every cluster's profiles. */
  listFargateProfiles(): StoredObject[];
  createNodeGroup(input: CreateNodeGroupInput): StoredObject;
  deleteNodeGroup(name: string): void;
  describeNodeGroup(name: string): StoredObject;
  listNodeGroups(): StoredObject[];
  /** Names of the clusters Moor has. */
  clusterNames(): string[];
  /**
   * `moor up`'s cluster, as `eksctl create cluster --fargate` makes it: the cluster `moor` in
   * the embedded VPC and, when `profile`, the profile `fp-default` for namespaces default and
   * kube-system, made once (not again after the user deleted it).
   */
  ensureDefaultCluster(options: { profile: boolean }): void;
}

export interface EksServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  vpc?: Vpc;
  /** Looks a subnet up; by default, the embedded VPC's (all private). */
  subnet?: (subnetId: string) => SubnetInfo | undefined;
  /** The kube API's URL and CA, read on each DescribeCluster. */
  kubeEndpoint?: () => KubeEndpoint;
  now?: () => Date;
  randomUuid?: () => string;
}

const defaultProfileMarker = "default-profile-made";
export const defaultProfileName = "fp-default";

export function createEksService(options: EksServiceOptions): EksService {
  const context = eksContext(options);
  const { store } = context;
  const on = <I, O>(operation: (context: EksContext, input: I) => O) => (input: I) => operation(context, input);
  return {
    name: "eks",
    operations: {
      CreateCluster: on(createCluster),
      DescribeCluster: on(describeCluster),
      ListClusters: on(listClusters),
      DeleteCluster: on(deleteCluster),
      CreateFargateProfile: on(createFargateProfile),
      DescribeFargateProfile: on(describeFargateProfile),
      ListFargateProfiles: on(listFargateProfiles),
      DeleteFargateProfile: on(deleteFargateProfile),
      CreateNodegroup: on(createNodegroup),
      DescribeNodegroup: on(describeNodegroup),
      ListNodegroups: on(listNodegroups),
      UpdateNodegroupConfig: on(updateNodegroupConfig),
      DescribeUpdate: on(describeUpdate),
      DeleteNodegroup: on(deleteNodegroup),
    },
    createFargateProfile: (input) => createProfileObject(context, clusterName, input),
    deleteFargateProfile: (name) => markProfileDeleting(context, clusterName, name),
    describeFargateProfile: (name) => requireProfile(context, clusterName, name),
    listFargateProfiles: () => store.list(fargateProfileKind).items,
    createNodeGroup: (input) => createNodeGroupObject(context, nodeGroupRequest(context, input)),
    deleteNodeGroup: (name) => void removeNodeGroup(context, clusterName, name),
    describeNodeGroup: (name) => requireNodeGroup(context, clusterName, name),
    listNodeGroups: () => store.list(nodeGroupKind).items,
    clusterNames: () => store.list(clusterKind).items.map((cluster) => cluster.metadata.name),
    ensureDefaultCluster({ profile }) {
      if (!store.get({ kind: clusterKind, name: clusterName })) {
        createClusterObject(context, {
          name: clusterName,
          roleArn: `arn:aws:iam::${context.accountId}:role/moor-cluster`,
          resourcesVpcConfig: { subnetIds: context.vpc.subnets.map((subnet) => subnet.subnetId) },
        });
      }
      if (!profile || store.list(fargateProfileKind).items.length > 0 || store.get({ kind: "Marker", name: defaultProfileMarker })) return;
      createProfileObject(context, clusterName, { name: defaultProfileName, selectors: [{ namespace: "default" }, { namespace: "kube-system" }] });
      store.create({ apiVersion: "moor.dev/v1", kind: "Marker", metadata: { name: defaultProfileMarker } });
    },
  };
}

function eksContext(options: EksServiceOptions): EksContext {
  const vpc = options.vpc ?? embeddedVpc(options.region);
  return {
    store: options.store,
    region: options.region,
    accountId: options.accountId,
    vpc,
    subnet:
      options.subnet ??
      ((subnetId) => {
        const subnet = vpc.subnets.find((candidate) => candidate.subnetId === subnetId);
        return subnet && { subnetId, vpcId: vpc.vpcId, availabilityZone: subnet.availabilityZone, public: false };
      }),
    kubeEndpoint: options.kubeEndpoint ?? (() => ({ url: "https://127.0.0.1:6443", certificateAuthority: "" })),
    now: options.now ?? (() => new Date()),
    randomUuid: options.randomUuid ?? randomUUID,
  };
}
