// CreateFargateProfile: which pods run serverless. The profile is checked (name, selectors,
// subnets) by the scheduling domain's rules; a name already used is AlreadyExists, a profile
// still DELETING makes the cluster refuse (Conflict), and a cluster holds at most
// `profilesPerClusterMax`. The new profile is ACTIVE at once.

import { type FargateProfileSpec, profileProblem, profilesPerClusterMax, type ProfileSelector } from "../../domain/scheduling/mod.js";
import { alreadyExists, conflict, invalid, limitExceeded } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { clusterName, eksApiVersion, type EksContext, fargateProfileKind } from "./_context.js";

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

export function createFargateProfile(context: EksContext, input: CreateFargateProfileInput): StoredObject {
  const { store, vpc } = context;
  const action = `Cannot create Fargate profile ${JSON.stringify(input.name)}`;
  if (!Array.isArray(input.selectors)) throw invalid(`${action}: a list of selectors is required`);
  const spec: FargateProfileSpec = {
    clusterName,
    podExecutionRoleArn: input.podExecutionRoleArn ?? `arn:aws:iam::${context.accountId}:role/moor-fargate-pod-execution`,
    subnets: input.subnets && input.subnets.length > 0 ? input.subnets : vpc.subnets.map((subnet) => subnet.subnetId),
    selectors: input.selectors,
    ...(input.tags ? { tags: input.tags } : {}),
  };
  const problem = profileProblem(input.name, spec, vpc.subnets.map((subnet) => subnet.subnetId));
  if (problem) throw invalid(`${action}: ${problem}`);
  return store.transaction(() => {
    const profiles = store.list(fargateProfileKind).items;
    if (profiles.some((profile) => profile.metadata.name === input.name)) throw alreadyExists(`${action}: it already exists`);
    if (profiles.some((profile) => profile.status?.status === "DELETING")) throw conflict(`${action}: another profile is being deleted`);
    if (profiles.length >= profilesPerClusterMax) throw limitExceeded(`${action}: the cluster has the maximum of ${profilesPerClusterMax} profiles`);
    return store.create({
      apiVersion: eksApiVersion,
      kind: fargateProfileKind,
      metadata: { name: input.name, ...(input.labels ? { labels: input.labels } : {}), ...(input.annotations ? { annotations: input.annotations } : {}) },
      spec,
      status: {
        status: "ACTIVE",
        fargateProfileArn: `arn:aws:eks:${context.region}:${context.accountId}:fargateprofile/${clusterName}/${input.name}/${context.randomUuid()}`,
        createdAt: context.now().toISOString(),
      },
    });
  });
}
