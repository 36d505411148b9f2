// DeletePolicy: refused while attached, or while versions other than the default remain.

import { conflict, invalid } from "../../errors/mod.js";
import { type IamContext, policyKind, storedName } from "./_context.js";
import { attachmentCount, findPolicy } from "./_policies.js";

export function deletePolicy(context: IamContext, input: { PolicyArn: string }): void {
  const found = findPolicy(context, input.PolicyArn);
  if (!found.stored) throw invalid(`Cannot delete policy ${input.PolicyArn}: it is an AWS managed policy`, { code: "UnmodifiableEntity" });
  const spec = found.stored.spec!;
  if (attachmentCount(context, spec.arn) > 0) throw conflict("Cannot delete a policy attached to entities.", { code: "DeleteConflict", subject: { kind: policyKind, name: spec.arn } });
  if (spec.versions.length > 1) {
    throw conflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.", { code: "DeleteConflict", subject: { kind: policyKind, name: spec.arn } });
  }
  context.store.delete({ kind: policyKind, name: storedName(spec.policyName) });
}
