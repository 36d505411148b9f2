// DeleteFargateProfile: marks the profile DELETING; the profile controller then removes the pods
// it placed and finally the profile, as on EKS. One profile is deleted at a time (Conflict).

import { conflict, notFound } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type EksContext, fargateProfileKind } from "./_context.js";

export function deleteFargateProfile(context: EksContext, name: string): StoredObject {
  const { store } = context;
  const action = `Cannot delete Fargate profile ${JSON.stringify(name)}`;
  return store.transaction(() => {
    const profile = store.get({ kind: fargateProfileKind, name });
    if (!profile) throw notFound(`${action}: it does not exist`);
    const others = store.list(fargateProfileKind).items.filter((other) => other.metadata.name !== name && other.status?.status === "DELETING");
    if (others.length > 0) throw conflict(`${action}: profile ${JSON.stringify(others[0]!.metadata.name)} is being deleted`);
    return store.update({ ...profile, status: { ...profile.status, status: "DELETING" } });
  });
}
