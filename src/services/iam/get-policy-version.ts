// GetPolicyVersion: one version's document, URL-encoded as IAM sends it.

import { notFound } from "../../errors/mod.js";
import { encodeDocument } from "./_documents.js";
import type { IamContext } from "./_context.js";
import { findPolicy, policyVersions } from "./_policies.js";

export function getPolicyVersion(context: IamContext, input: { PolicyArn: string; VersionId: string }): Record<string, unknown> {
  const { versions, defaultVersionId } = policyVersions(findPolicy(context, input.PolicyArn));
  const version = versions.find((candidate) => candidate.versionId === input.VersionId);
  if (!version) throw notFound(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`, { code: "NoSuchEntity" });
  return { PolicyVersion: { Document: encodeDocument(version.document), VersionId: version.versionId, IsDefaultVersion: version.versionId === defaultVersionId, CreateDate: new Date(version.createDate) } };
}
