// PutFileSystemPolicy: the policy is parsed and checked (InvalidPolicyException), including the
// lockout safety check unless BypassPolicyLockoutSafetyCheck is true; it replaces the default
// policy.

import { efsError, fileSystemIdShape, locksOutCaller, parsePolicy, policyShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { changeFileSystem, checkBody, checkRequired, type StructureShape } from "./_operation.js";

const action = "Cannot put file system policy";

const inputShape: StructureShape = {
  type: "structure",
  required: ["Policy"],
  members: { Policy: policyShape, BypassPolicyLockoutSafetyCheck: { type: "boolean" } },
};

export interface PutFileSystemPolicyInput {
  FileSystemId: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}

export function putFileSystemPolicy(context: EfsContext, input: PutFileSystemPolicyInput): { FileSystemId: string; Policy: string | undefined } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const { Policy, BypassPolicyLockoutSafetyCheck } = checkBody<{ Policy: string; BypassPolicyLockoutSafetyCheck?: boolean }>(input, inputShape, action);
  const updated = changeFileSystem(context, id, action, (fileSystem) => {
    const parsed = parsePolicy(Policy, action);
    if (BypassPolicyLockoutSafetyCheck !== true && locksOutCaller(parsed, { accountId: context.accountId, fileSystemArn: fileSystem.status.fileSystemArn })) {
      throw efsError(
        "InvalidPolicyException",
        `${action}: the policy would deny you further PutFileSystemPolicy calls; set BypassPolicyLockoutSafetyCheck to put it anyway`,
      );
    }
    return { ...fileSystem, spec: { ...fileSystem.spec, policy: Policy } };
  });
  return { FileSystemId: updated.metadata.name, Policy: updated.spec.policy };
}
