// DeleteFargateProfile: marks the profile DELETING; the profile controller then removes the pods
// it placed and finally the profile, as on EKS. One profile per cluster is deleted at a time.

import type { StoredObject } from "../../store/mod.js";
import { eksName, type EksContext } from "./_context.js";
import { describeProfileObject, type FargateProfileDescription } from "./_describe.js";
import { eksError } from "./_errors.js";
import { profilesOf, type ProfileRequest, requireProfile } from "./describe-fargate-profile.js";
import { requireCluster } from "./describe-cluster.js";

export function deleteFargateProfile(context: EksContext, input: ProfileRequest): { fargateProfile: FargateProfileDescription } {
  requireCluster(context, input.clusterName);
  return { fargateProfile: describeProfileObject(markProfileDeleting(context, input.clusterName, input.fargateProfileName)) };
}

export function markProfileDeleting(context: EksContext, cluster: string, name: string): StoredObject {
  const { store } = context;
  return store.transaction(() => {
    const profile = requireProfile(context, cluster, name);
    const other = profilesOf(context, cluster).find((candidate) => candidate.metadata.name !== profile.metadata.name && candidate.status?.status === "DELETING");
    if (other) {
      throw eksError("ResourceInUseException", `Cannot delete Fargate Profile ${name} because cluster ${cluster} currently has Fargate profile ${eksName(other)} in status DELETING`, { clusterName: cluster, fargateProfileName: name });
    }
    return store.update({ ...profile, status: { ...profile.status, status: "DELETING" } });
  });
}
