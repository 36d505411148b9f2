// Roles as stored (kind IamRole) and as IAM answers with them.

import { notFound } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { encodeDocument } from "./_documents.js";
import { type IamContext, roleKind, storedName, type Tag } from "./_context.js";

export interface InlinePolicy {
  name: string;
  document: string;
}

export interface RoleSpec {
  roleName: string;
  path: string;
  roleId: string;
  arn: string;
  createDate: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: Tag[];
  /** ARNs of the managed policies attached, in attachment order. */
  attachedPolicies: string[];
  inlinePolicies: InlinePolicy[];
}

export type StoredRole = StoredObject<RoleSpec>;

/** The role, or NoSuchEntity in IAM's words. */
export function getStoredRole(context: IamContext, roleName: string): StoredRole {
  const role = context.store.get({ kind: roleKind, name: storedName(roleName) }) as StoredRole | undefined;
  if (!role) throw notFound(`The role with name ${roleName} cannot be found.`, { code: "NoSuchEntity", subject: { kind: roleKind, name: roleName } });
  return role;
}

export function listStoredRoles(context: IamContext): StoredRole[] {
  return context.store.list(roleKind).items as StoredRole[];
}

/** The model's `Role` structure; `detail` adds what GetRole sends beyond ListRoles. */
export function roleOutput(spec: RoleSpec, detail = false): Record<string, unknown> {
  const role: Record<string, unknown> = {
    Path: spec.path,
    RoleName: spec.roleName,
    RoleId: spec.roleId,
    Arn: spec.arn,
    CreateDate: new Date(spec.createDate),
    AssumeRolePolicyDocument: encodeDocument(spec.assumeRolePolicyDocument),
    Description: spec.description,
    MaxSessionDuration: spec.maxSessionDuration,
  };
  if (spec.permissionsBoundary) role.PermissionsBoundary = { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: spec.permissionsBoundary };
  if (spec.tags.length > 0) role.Tags = spec.tags;
  if (detail) role.RoleLastUsed = {};
  return role;
}
