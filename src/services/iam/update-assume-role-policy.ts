// UpdateAssumeRolePolicy: replaces the role's trust policy, checked as at creation.

import { checkPolicyDocument } from "./_documents.js";
import type { IamContext } from "./_context.js";
import { updateRole } from "./_update.js";

export function updateAssumeRolePolicy(context: IamContext, input: { RoleName: string; PolicyDocument: string }): void {
  checkPolicyDocument(input.PolicyDocument, "trust");
  updateRole(context, input.RoleName, (spec) => {
    spec.assumeRolePolicyDocument = input.PolicyDocument;
  });
}
