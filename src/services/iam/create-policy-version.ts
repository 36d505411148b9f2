// CreatePolicyVersion: a new version (v2, v3, … never reused), the default when asked; at most
// five versions a policy, as IAM allows.

import { limitExceeded } from "../../errors/mod.js";
import { checkPolicyDocument } from "./_documents.js";
import type { IamContext } from "./_context.js";
import { updatePolicy } from "./_update.js";

export const policyVersionsMax = 5;

export function createPolicyVersion(context: IamContext, input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }): Record<string, unknown> {
  checkPolicyDocument(input.PolicyDocument, "permissions");
  const now = context.now().toISOString();
  let versionId = "";
  const spec = updatePolicy(context, input.PolicyArn, (policy) => {
    if (policy.versions.length >= policyVersionsMax) {
      throw limitExceeded(`A managed policy can have up to ${policyVersionsMax} versions. Before you create a new version, you must delete an existing version.`, { code: "LimitExceeded" });
    }
    versionId = `v${policy.nextVersion}`;
    policy.nextVersion += 1;
    policy.versions.push({ versionId, document: input.PolicyDocument, createDate: now });
    if (input.SetAsDefault) policy.defaultVersionId = versionId;
    policy.updateDate = now;
  });
  return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: spec.defaultVersionId === versionId, CreateDate: new Date(now) } };
}
