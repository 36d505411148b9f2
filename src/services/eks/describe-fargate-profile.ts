// DescribeFargateProfile and ListFargateProfiles: the profiles of one cluster as stored.

import type { StoredObject } from "../../store/mod.js";
import { clusterOf, eksName, type EksContext, fargateProfileKind, objectName } from "./_context.js";
import { describeProfileObject, type FargateProfileDescription } from "./_describe.js";
import { eksError } from "./_errors.js";
import { type ListInput, pageOf, requireCluster } from "./describe-cluster.js";

export interface ProfileRequest {
  clusterName: string;
  fargateProfileName: string;
}

export function requireProfile(context: EksContext, cluster: string, name: string): StoredObject {
  const profile = typeof name === "string" ? context.store.get({ kind: fargateProfileKind, name: objectName(cluster, name) }) : undefined;
  if (!profile || clusterOf(profile) !== cluster) {
    throw eksError("ResourceNotFoundException", `No Fargate Profile found with name: ${name}.`, { clusterName: cluster, fargateProfileName: String(name) });
  }
  return profile;
}

export function describeFargateProfile(context: EksContext, input: ProfileRequest): { fargateProfile: FargateProfileDescription } {
  requireCluster(context, input.clusterName);
  return { fargateProfile: describeProfileObject(requireProfile(context, input.clusterName, input.fargateProfileName)) };
}

export function listFargateProfiles(context: EksContext, input: { clusterName: string } & ListInput): { fargateProfileNames: string[]; nextToken?: string } {
  requireCluster(context, input.clusterName);
  const names = profilesOf(context, input.clusterName).map(eksName).sort();
  const { items, nextToken } = pageOf(names, input, 100);
  return { fargateProfileNames: items, ...(nextToken ? { nextToken } : {}) };
}

export function profilesOf(context: EksContext, cluster: string): StoredObject[] {
  return context.store.list(fargateProfileKind).items.filter((profile) => clusterOf(profile) === cluster);
}
