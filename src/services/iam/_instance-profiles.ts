// Instance profiles as stored (kind IamInstanceProfile) and as IAM answers with them: a named
// container for at most one role, which an EC2 instance launched with the profile acts as (its
// `iam` EFS mounts present that role). Names are unique ignoring case, as roles'.

import { notFound } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { type IamContext, roleKind, storedName, type Tag } from "./_context.js";
import { getStoredRole, roleOutput } from "./_roles.js";

export const instanceProfileKind = "IamInstanceProfile";

export interface InstanceProfileSpec {
  instanceProfileName: string;
  path: string;
  instanceProfileId: string;
  arn: string;
  createDate: string;
  /** Names of the roles in it (IAM allows one). */
  roles: string[];
  tags: Tag[];
}

export type StoredInstanceProfile = StoredObject<InstanceProfileSpec>;

/** The profile, or NoSuchEntity in IAM's words. */
export function getStoredInstanceProfile(context: IamContext, name: string): StoredInstanceProfile {
  const profile = context.store.get({ kind: instanceProfileKind, name: storedName(name) }) as StoredInstanceProfile | undefined;
  if (!profile) throw notFound(`Instance Profile ${name} cannot be found.`, { code: "NoSuchEntity", subject: { kind: instanceProfileKind, name } });
  return profile;
}

export function listStoredInstanceProfiles(context: IamContext): StoredInstanceProfile[] {
  return context.store.list(instanceProfileKind).items as StoredInstanceProfile[];
}

/** The model's `InstanceProfile` structure, its roles in full. */
export function instanceProfileOutput(context: IamContext, spec: InstanceProfileSpec): Record<string, unknown> {
  const roles = spec.roles.flatMap((name) => {
    try {
      return [roleOutput(getStoredRole(context, name).spec!)];
    } catch {
      return []; // Deleted under the profile: IAM forbids that; an old store may hold one.
    }
  });
  return {
    Path: spec.path,
    InstanceProfileName: spec.instanceProfileName,
    InstanceProfileId: spec.instanceProfileId,
    Arn: spec.arn,
    CreateDate: new Date(spec.createDate),
    Roles: roles,
    ...(spec.tags.length > 0 ? { Tags: spec.tags } : {}),
  };
}

export function writeInstanceProfile(context: IamContext, profile: StoredInstanceProfile, spec: InstanceProfileSpec): void {
  context.store.update({ ...profile, spec }, { expectedRevision: profile.metadata.resourceVersion });
}

/** The role ARN an instance profile (named by ARN or name) carries, when it exists and has one. */
export function instanceProfileRoleArn(store: Pick<Store, "get">, nameOrArn: string): string | undefined {
  const name = nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
  const profile = store.get({ kind: instanceProfileKind, name: storedName(name) }) as StoredInstanceProfile | undefined;
  if (!profile || (nameOrArn.startsWith("arn:") && profile.spec!.arn !== nameOrArn)) return undefined;
  const role = profile.spec!.roles[0];
  if (!role) return undefined;
  return (store.get({ kind: roleKind, name: storedName(role) }) as StoredObject<{ arn: string }> | undefined)?.spec?.arn;
}
