// CreatePolicy: a customer managed policy with its first version, v1, as the default.

import { alreadyExists } from "../../errors/mod.js";
import { checkPolicyDocument } from "./_documents.js";
import { iamApiVersion, type IamContext, mergeTags, policyKind, storedName, type Tag } from "./_context.js";
import { type PolicySpec, policyOutput } from "./_policies.js";

export interface CreatePolicyInput {
  PolicyName: string;
  PolicyDocument: string;
  Path?: string;
  Description?: string;
  Tags?: Tag[];
}

export function createPolicy(context: IamContext, input: CreatePolicyInput): { Policy: Record<string, unknown> } {
  const name = storedName(input.PolicyName);
  if (context.store.get({ kind: policyKind, name })) {
    throw alreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`, { code: "EntityAlreadyExists", subject: { kind: policyKind, name: input.PolicyName } });
  }
  checkPolicyDocument(input.PolicyDocument, "permissions");
  const path = input.Path ?? "/";
  const now = context.now().toISOString();
  const spec: PolicySpec = {
    policyName: input.PolicyName,
    policyId: `ANPA${context.randomId(17)}`,
    arn: `arn:aws:iam::${context.accountId}:policy${path}${input.PolicyName}`,
    path,
    createDate: now,
    updateDate: now,
    defaultVersionId: "v1",
    versions: [{ versionId: "v1", document: input.PolicyDocument, createDate: now }],
    nextVersion: 2,
    tags: mergeTags([], input.Tags ?? []),
  };
  if (input.Description !== undefined) spec.description = input.Description;
  const stored = context.store.create({ apiVersion: iamApiVersion, kind: policyKind, metadata: { name }, spec });
  const { Description: _description, ...policy } = policyOutput(context, { stored });
  return { Policy: policy };
}
