// DescribeFargateProfile and ListFargateProfiles: the profiles as stored.

import { notFound } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type EksContext, fargateProfileKind } from "./_context.js";

export function describeFargateProfile(context: EksContext, name: string): StoredObject {
  const profile = context.store.get({ kind: fargateProfileKind, name });
  if (!profile) throw notFound(`Cannot describe Fargate profile ${JSON.stringify(name)}: it does not exist`);
  return profile;
}

export function listFargateProfiles(context: EksContext): StoredObject[] {
  return context.store.list(fargateProfileKind).items;
}
