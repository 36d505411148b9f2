// CreateFargateProfile: which pods run serverless. The profile is checked (name, selectors,
// subnets) by the scheduling domain's rules and EKS's own: no `eks-` names, private subnets of
// the cluster's VPC only; a name already used in the cluster is refused, a profile of the
// cluster still DELETING makes it refuse another (EKS allows one CREATING or DELETING at a time;
// here creating takes no time, so only DELETING is ever seen), and a cluster holds at most
// `profilesPerClusterMax`. The new profile is ACTIVE when the call returns, so
// `aws eks wait fargate-profile-active` returns on its first poll.

import { type FargateProfileSpec, profileProblem, profilesPerClusterMax, type ProfileSelector } from "../../domain/scheduling/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { clusterKind, clusterName as defaultClusterName, clusterOf, eksApiVersion, eksName, type EksContext, fargateProfileKind, objectName } from "./_context.js";
import { describeProfileObject, type FargateProfileDescription } from "./_describe.js";
import { eksError } from "./_errors.js";
import { requireCluster } from "./describe-cluster.js";

/** What `moor profile` and kubectl give for a profile of the default cluster. */
export interface CreateFargateProfileInput {
  name: string;
  selectors: ProfileSelector[];
  subnets?: string[];
  podExecutionRoleArn?: string;
  tags?: Record<string, string>;
  /** Kept on the object as sent (kubectl apply keeps its last-applied configuration here). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The EKS API's request, in the model's member names. */
export interface CreateFargateProfileRequest {
  clusterName: string;
  fargateProfileName: string;
  podExecutionRoleArn: string;
  subnets?: string[];
  selectors?: ProfileSelector[];
  tags?: Record<string, string>;
  clientRequestToken?: string;
}

export function createFargateProfile(context: EksContext, input: CreateFargateProfileRequest): { fargateProfile: FargateProfileDescription } {
  const cluster = requireCluster(context, input.clusterName);
  const profile = createProfileObject(context, cluster.metadata.name, {
    name: input.fargateProfileName,
    selectors: input.selectors ?? [],
    ...(input.subnets ? { subnets: input.subnets } : {}),
    podExecutionRoleArn: input.podExecutionRoleArn,
    ...(input.tags ? { tags: input.tags } : {}),
  });
  return { fargateProfile: describeProfileObject(profile) };
}

export function createProfileObject(context: EksContext, cluster: string, input: CreateFargateProfileInput): StoredObject {
  const { store } = context;
  const name = input.name;
  const names = { clusterName: cluster, fargateProfileName: String(name) };
  const action = `Cannot create Fargate profile ${JSON.stringify(name)}`;
  if (!Array.isArray(input.selectors)) throw eksError("InvalidParameterException", `${action}: a list of selectors is required`, names);
  if (typeof name === "string" && name.startsWith("eks-")) throw eksError("InvalidParameterException", "The fargate profile name starts with the reserved prefix: 'eks-'.", names);
  const privateSubnets = clusterPrivateSubnets(context, cluster);
  const spec: FargateProfileSpec = {
    clusterName: cluster,
    podExecutionRoleArn: input.podExecutionRoleArn ?? `arn:aws:iam::${context.accountId}:role/moor-fargate-pod-execution`,
    subnets: input.subnets && input.subnets.length > 0 ? input.subnets : privateSubnets,
    selectors: input.selectors,
    ...(input.tags ? { tags: input.tags } : {}),
  };
  const problem = profileProblem(name, spec, privateSubnets);
  if (problem) throw eksError("InvalidParameterException", `${action}: ${problem}`, names);
  return store.transaction(() => {
    const profiles = store.list(fargateProfileKind).items.filter((profile) => clusterOf(profile) === cluster);
    if (profiles.some((profile) => eksName(profile) === name)) throw eksError("ResourceInUseException", `${action}: it already exists`, names, "AlreadyExists");
    const deleting = profiles.find((profile) => profile.status?.status === "DELETING");
    if (deleting) {
      throw eksError("ResourceInUseException", `Cannot create Fargate Profile ${name} because cluster ${cluster} currently has Fargate profile ${eksName(deleting)} in status DELETING`, names);
    }
    if (profiles.length >= profilesPerClusterMax) {
      throw eksError("ResourceLimitExceededException", `${action}: the cluster has the maximum of ${profilesPerClusterMax} profiles`, names);
    }
    return store.create({
      apiVersion: eksApiVersion,
      kind: fargateProfileKind,
      metadata: { name: objectName(cluster, name), ...(input.labels ? { labels: input.labels } : {}), ...(input.annotations ? { annotations: input.annotations } : {}) },
      spec,
      status: {
        status: "ACTIVE",
        fargateProfileArn: `arn:aws:eks:${context.region}:${context.accountId}:fargateprofile/${cluster}/${name}/${context.randomUuid()}`,
        createdAt: context.now().toISOString(),
      },
    });
  });
}

/**
 * The subnets a profile of this cluster may use: the private subnets of its VPC. The default
 * cluster may have no object (Moor started without it): then the embedded VPC's private ones.
 */
function clusterPrivateSubnets(context: EksContext, cluster: string): string[] {
  const stored = cluster === defaultClusterName ? context.store.get({ kind: clusterKind, name: cluster }) : requireCluster(context, cluster);
  const vpcId = stored?.status.vpcId ?? context.vpc.vpcId;
  const candidates = new Set<string>([...context.vpc.subnets.map((subnet) => subnet.subnetId), ...(stored?.spec.resourcesVpcConfig.subnetIds ?? [])]);
  return [...candidates].filter((id) => {
    const subnet = context.subnet(id);
    return subnet !== undefined && subnet.vpcId === vpcId && !subnet.public;
  });
}
