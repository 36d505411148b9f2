// ListPolicyVersions: every version, newest first, without documents (as IAM lists them).

import type { IamContext } from "./_context.js";
import { type PageInput, page } from "./_paging.js";
import { findPolicy, policyVersions } from "./_policies.js";

export function listPolicyVersions(context: IamContext, input: PageInput & { PolicyArn: string }): Record<string, unknown> {
  const { versions, defaultVersionId } = policyVersions(findPolicy(context, input.PolicyArn));
  const listed = [...versions].reverse().map((version) => ({ VersionId: version.versionId, IsDefaultVersion: version.versionId === defaultVersionId, CreateDate: new Date(version.createDate) }));
  const { items, ...rest } = page(listed, input);
  return { Versions: items, ...rest };
}
