// PutRolePolicy: an inline policy on a role, replacing one of the same name.

import { checkPolicyDocument } from "./_documents.js";
import type { IamContext } from "./_context.js";
import { updateRole } from "./_update.js";

export function putRolePolicy(context: IamContext, input: { RoleName: string; PolicyName: string; PolicyDocument: string }): void {
  checkPolicyDocument(input.PolicyDocument, "permissions");
  updateRole(context, input.RoleName, (spec) => {
    const others = spec.inlinePolicies.filter((policy) => policy.name !== input.PolicyName);
    spec.inlinePolicies = [...others, { name: input.PolicyName, document: input.PolicyDocument }];
  });
}
