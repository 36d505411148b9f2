// ListPolicies: AWS-managed and customer policies by name (Scope All, AWS or Local), optionally
// only attached ones or those under a path prefix, a page at a time. Descriptions and tags are
// left out, as IAM lists them.

import type { IamContext } from "./_context.js";
import { managedPolicies } from "./_managed.js";
import { type PageInput, page } from "./_paging.js";
import { attachmentCounts, type FoundPolicy, listStoredPolicies, policyOutput } from "./_policies.js";

export interface ListPoliciesInput extends PageInput {
  Scope?: "All" | "AWS" | "Local";
  OnlyAttached?: boolean;
  PathPrefix?: string;
}

export function listPolicies(context: IamContext, input: ListPoliciesInput): Record<string, unknown> {
  const scope = input.Scope ?? "All";
  const found: FoundPolicy[] = [
    ...(scope === "Local" ? [] : managedPolicies().map((managed) => ({ managed }))),
    ...(scope === "AWS" ? [] : listStoredPolicies(context).map((stored) => ({ stored }))),
  ];
  const prefix = input.PathPrefix ?? "/";
  const counts = attachmentCounts(context);
  const policies = found
    .map((policy) => policyOutput(context, policy, counts))
    .filter((policy) => String(policy.Path).startsWith(prefix) && (!input.OnlyAttached || Number(policy.AttachmentCount) > 0))
    .sort((a, b) => String(a.PolicyName).localeCompare(String(b.PolicyName)))
    .map(({ Description: _description, Tags: _tags, ...policy }) => policy);
  const { items, ...rest } = page(policies, input);
  return { Policies: items, ...rest };
}

