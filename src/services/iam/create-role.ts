// CreateRole: a role with a trust policy; names are unique ignoring case.

import { alreadyExists } from "../../errors/mod.js";
import { checkPolicyDocument } from "./_documents.js";
import { iamApiVersion, type IamContext, mergeTags, roleKind, storedName, type Tag } from "./_context.js";
import { type RoleSpec, roleOutput } from "./_roles.js";

export interface CreateRoleInput {
  RoleName: string;
  AssumeRolePolicyDocument: string;
  Path?: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export const sessionDurationDefaultSeconds = 3600;

export function createRole(context: IamContext, input: CreateRoleInput): { Role: Record<string, unknown> } {
  const name = storedName(input.RoleName);
  if (context.store.get({ kind: roleKind, name })) {
    throw alreadyExists(`Role with name ${input.RoleName} already exists.`, { code: "EntityAlreadyExists", subject: { kind: roleKind, name: input.RoleName } });
  }
  checkPolicyDocument(input.AssumeRolePolicyDocument, "trust");
  const path = input.Path ?? "/";
  const spec: RoleSpec = {
    roleName: input.RoleName,
    path,
    roleId: `AROA${context.randomId(17)}`,
    arn: `arn:aws:iam::${context.accountId}:role${path}${input.RoleName}`,
    createDate: context.now().toISOString(),
    assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
    maxSessionDuration: input.MaxSessionDuration ?? sessionDurationDefaultSeconds,
    tags: mergeTags([], input.Tags ?? []),
    attachedPolicies: [],
    inlinePolicies: [],
  };
  if (input.Description !== undefined) spec.description = input.Description;
  if (input.PermissionsBoundary !== undefined) spec.permissionsBoundary = input.PermissionsBoundary;
  context.store.create({ apiVersion: iamApiVersion, kind: roleKind, metadata: { name }, spec });
  return { Role: roleOutput(spec) };
}
