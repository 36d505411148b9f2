// Managed policies: customer ones as stored (kind IamPolicy, with their versions) and AWS's
// catalogue, found by ARN, and as IAM answers with them.

import { invalid, notFound } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type IamContext, policyKind, storedName, type Tag } from "./_context.js";
import { listStoredRoles } from "./_roles.js";
import { managedPolicy, managedPolicyArn, managedPolicyDate, type ManagedPolicy } from "./_managed.js";

export interface PolicyVersionSpec {
  versionId: string;
  document: string;
  createDate: string;
}

export interface PolicySpec {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersionSpec[];
  /** The number of the next version (IAM never reuses one). */
  nextVersion: number;
  tags: Tag[];
}

export type StoredPolicy = StoredObject<PolicySpec>;

/** A policy either kind: what reading and attaching need. */
export type FoundPolicy = { managed: ManagedPolicy; stored?: undefined } | { stored: StoredPolicy; managed?: undefined };

const policyArn = /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[\u0021-\u007E]+\/)?)?([\w+=,.@-]+)$/;

/** The policy an ARN names; InvalidInput for an ARN that is no policy ARN, NoSuchEntity when absent. */
export function findPolicy(context: IamContext, arn: string, missingText = `Policy ${arn} was not found.`): FoundPolicy {
  const parts = policyArn.exec(arn);
  if (!parts) throw invalid(`ARN ${arn} is not valid.`, { code: "InvalidInput" });
  const missing = () => notFound(missingText, { code: "NoSuchEntity", subject: { kind: policyKind, name: arn } });
  if (parts[1] === "aws") {
    const managed = managedPolicy(arn);
    if (!managed) throw missing();
    return { managed };
  }
  const stored = context.store.get({ kind: policyKind, name: storedName(parts[3]!) }) as StoredPolicy | undefined;
  if (!stored || stored.spec!.arn !== arn || parts[1] !== context.accountId) throw missing();
  return { stored };
}

export function listStoredPolicies(context: IamContext): StoredPolicy[] {
  return context.store.list(policyKind).items as StoredPolicy[];
}

export function attachmentCount(context: IamContext, arn: string): number {
  return attachmentCounts(context).get(arn) ?? 0;
}

/** How many roles each policy is attached to, from one pass over the roles. */
export function attachmentCounts(context: IamContext): Map<string, number> {
  const counts = new Map<string, number>();
  for (const role of listStoredRoles(context)) {
    for (const arn of role.spec!.attachedPolicies) counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  return counts;
}

/** The model's `Policy` structure for either kind; `counts` saves a pass over the roles per policy. */
export function policyOutput(context: IamContext, found: FoundPolicy, counts = attachmentCounts(context)): Record<string, unknown> {
  if (found.managed) {
    const policy = found.managed;
    const arn = managedPolicyArn(policy);
    return {
      PolicyName: policy.name, PolicyId: policy.id, Arn: arn, Path: policy.path, DefaultVersionId: "v1",
      AttachmentCount: counts.get(arn) ?? 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
      Description: policy.description, CreateDate: managedPolicyDate, UpdateDate: managedPolicyDate,
    };
  }
  const spec = found.stored.spec!;
  const output: Record<string, unknown> = {
    PolicyName: spec.policyName, PolicyId: spec.policyId, Arn: spec.arn, Path: spec.path, DefaultVersionId: spec.defaultVersionId,
    AttachmentCount: counts.get(spec.arn) ?? 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
    Description: spec.description, CreateDate: new Date(spec.createDate), UpdateDate: new Date(spec.updateDate),
  };
  if (spec.tags.length > 0) output.Tags = spec.tags;
  return output;
}

/** The versions of either kind: AWS-managed ones have one, v1. */
export function policyVersions(found: FoundPolicy): { versions: PolicyVersionSpec[]; defaultVersionId: string } {
  if (found.managed) return { versions: [{ versionId: "v1", document: found.managed.document, createDate: managedPolicyDate.toISOString() }], defaultVersionId: "v1" };
  return { versions: found.stored.spec!.versions, defaultVersionId: found.stored.spec!.defaultVersionId };
}
