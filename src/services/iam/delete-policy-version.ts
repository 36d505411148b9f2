// DeletePolicyVersion: any version but the default one.

import { conflict, notFound } from "../../errors/mod.js";
import type { IamContext } from "./_context.js";
import { updatePolicy } from "./_update.js";

export function deletePolicyVersion(context: IamContext, input: { PolicyArn: string; VersionId: string }): void {
  updatePolicy(context, input.PolicyArn, (policy) => {
    if (!policy.versions.some((version) => version.versionId === input.VersionId)) {
      throw notFound(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`, { code: "NoSuchEntity" });
    }
    if (policy.defaultVersionId === input.VersionId) throw conflict("Cannot delete the default version of a policy.", { code: "DeleteConflict" });
    policy.versions = policy.versions.filter((version) => version.versionId !== input.VersionId);
  });
}
