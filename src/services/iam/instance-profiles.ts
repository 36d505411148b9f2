// The instance-profile operations: CreateInstanceProfile, GetInstanceProfile,
// DeleteInstanceProfile (refused while a role is in it), AddRoleToInstanceProfile (one role at
// most), RemoveRoleFromInstanceProfile, ListInstanceProfiles and ListInstanceProfilesForRole.

import { alreadyExists, conflict, limitExceeded, notFound } from "../../errors/mod.js";
import { iamApiVersion, type IamContext, mergeTags, storedName, type Tag } from "./_context.js";
import {
  getStoredInstanceProfile,
  type InstanceProfileSpec,
  instanceProfileKind,
  instanceProfileOutput,
  listStoredInstanceProfiles,
  writeInstanceProfile,
} from "./_instance-profiles.js";
import { getStoredRole } from "./_roles.js";

type Output = Record<string, unknown>;

export function createInstanceProfile(context: IamContext, input: { InstanceProfileName: string; Path?: string; Tags?: Tag[] }): Output {
  const name = storedName(input.InstanceProfileName);
  if (context.store.get({ kind: instanceProfileKind, name })) {
    throw alreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`, { code: "EntityAlreadyExists", subject: { kind: instanceProfileKind, name: input.InstanceProfileName } });
  }
  const path = input.Path ?? "/";
  const spec: InstanceProfileSpec = {
    instanceProfileName: input.InstanceProfileName,
    path,
    instanceProfileId: `AIPA${context.randomId(17)}`,
    arn: `arn:aws:iam::${context.accountId}:instance-profile${path}${input.InstanceProfileName}`,
    createDate: context.now().toISOString(),
    roles: [],
    tags: mergeTags([], input.Tags ?? []),
  };
  context.store.create({ apiVersion: iamApiVersion, kind: instanceProfileKind, metadata: { name }, spec });
  return { InstanceProfile: instanceProfileOutput(context, spec) };
}

export function getInstanceProfile(context: IamContext, input: { InstanceProfileName: string }): Output {
  return { InstanceProfile: instanceProfileOutput(context, getStoredInstanceProfile(context, input.InstanceProfileName).spec!) };
}

export function deleteInstanceProfile(context: IamContext, input: { InstanceProfileName: string }): void {
  const spec = getStoredInstanceProfile(context, input.InstanceProfileName).spec!;
  if (spec.roles.length > 0) throw conflict("Cannot delete entity, must remove roles from instance profile first.", { code: "DeleteConflict", subject: { kind: instanceProfileKind, name: spec.instanceProfileName } });
  context.store.delete({ kind: instanceProfileKind, name: storedName(spec.instanceProfileName) });
}

export function addRoleToInstanceProfile(context: IamContext, input: { InstanceProfileName: string; RoleName: string }): void {
  const profile = getStoredInstanceProfile(context, input.InstanceProfileName);
  const role = getStoredRole(context, input.RoleName).spec!;
  if (profile.spec!.roles.length > 0) throw limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", { code: "LimitExceeded" });
  writeInstanceProfile(context, profile, { ...profile.spec!, roles: [role.roleName] });
}

export function removeRoleFromInstanceProfile(context: IamContext, input: { InstanceProfileName: string; RoleName: string }): void {
  const profile = getStoredInstanceProfile(context, input.InstanceProfileName);
  const roles = profile.spec!.roles.filter((name) => storedName(name) !== storedName(input.RoleName));
  if (roles.length === profile.spec!.roles.length) {
    throw notFound(`The role with name ${input.RoleName} cannot be found.`, { code: "NoSuchEntity", subject: { kind: "IamRole", name: input.RoleName } });
  }
  writeInstanceProfile(context, profile, { ...profile.spec!, roles });
}

export function listInstanceProfiles(context: IamContext, input: { PathPrefix?: string }): Output {
  const profiles = listStoredInstanceProfiles(context).filter((profile) => profile.spec!.path.startsWith(input.PathPrefix ?? "/"));
  return { InstanceProfiles: profiles.map((profile) => instanceProfileOutput(context, profile.spec!)), IsTruncated: false };
}

export function listInstanceProfilesForRole(context: IamContext, input: { RoleName: string }): Output {
  const role = getStoredRole(context, input.RoleName).spec!;
  const profiles = listStoredInstanceProfiles(context).filter((profile) => profile.spec!.roles.some((name) => storedName(name) === storedName(role.roleName)));
  return { InstanceProfiles: profiles.map((profile) => instanceProfileOutput(context, profile.spec!)), IsTruncated: false };
}
