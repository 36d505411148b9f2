// What every EKS operation works with: the store, the account and region, the VPC's subnets, the
// kube API every cluster answers on, a clock and a source of unique ids (all injected, so tests
// see fixed values). Also how the EKS objects are named in the store: every cluster of Moor is a
// view of the one Kubernetes API, so the profiles and node groups of all clusters share one name
// space there. The default cluster's keep their plain names (what kubectl and `moor profile`
// have always shown); another cluster's are "<cluster>.<name>" (EKS names hold no dot).

import type { Vpc } from "../../domain/network/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

/** Where a cluster's Kubernetes API answers, as DescribeCluster reports it. */
export interface KubeEndpoint {
  url: string;
  /** Base64 of the CA certificate's PEM. */
  certificateAuthority: string;
}

/** What EKS needs to know about a subnet: its VPC, and whether it routes to an internet gateway. */
export interface SubnetInfo {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  public: boolean;
}

export interface EksContext {
  store: Store;
  region: string;
  accountId: string;
  vpc: Vpc;
  subnet(subnetId: string): SubnetInfo | undefined;
  kubeEndpoint(): KubeEndpoint;
  now(): Date;
  randomUuid(): string;
}

/** The cluster `moor up` makes, and the one `moor profile`, `moor nodegroup` and kubectl act on. */
export const clusterName = "moor";
export const eksApiVersion = "eks.moor.dev/v1";
export const clusterKind = "EksCluster";
export const fargateProfileKind = "FargateProfile";
export const nodeGroupKind = "NodeGroup";

export const defaultKubernetesVersion = "1.32";
export const defaultInstanceType = "t3.medium";

export function objectName(cluster: string, name: string): string {
  return cluster === clusterName ? name : `${cluster}.${name}`;
}

/** The EKS name of a profile or node group object (its name inside its cluster). */
export function eksName(object: StoredObject): string {
  const cluster = String(object.spec?.clusterName ?? clusterName);
  const name = object.metadata.name;
  return cluster !== clusterName && name.startsWith(`${cluster}.`) ? name.slice(cluster.length + 1) : name;
}

export function clusterOf(object: StoredObject): string {
  return String(object.spec?.clusterName ?? clusterName);
}

export function isoTime(date: Date): string {
  return date.toISOString();
}
