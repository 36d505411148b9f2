// GetRolePolicy: an inline policy's document, URL-encoded as IAM sends it.

import { notFound } from "../../errors/mod.js";
import { encodeDocument } from "./_documents.js";
import type { IamContext } from "./_context.js";
import { getStoredRole } from "./_roles.js";

export function getRolePolicy(context: IamContext, input: { RoleName: string; PolicyName: string }): Record<string, unknown> {
  const spec = getStoredRole(context, input.RoleName).spec!;
  const policy = spec.inlinePolicies.find((candidate) => candidate.name === input.PolicyName);
  if (!policy) throw notFound(`The role policy with name ${input.PolicyName} cannot be found.`, { code: "NoSuchEntity" });
  return { RoleName: spec.roleName, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
}
