// PutFileSystemPolicy: PUT /2015-02-01/file-systems/{FileSystemId}/policy → 200 {FileSystemId,
// Policy}. The policy is parsed and checked (400 InvalidPolicyException), including the lockout
// safety check unless BypassPolicyLockoutSafetyCheck is true; it replaces the default policy.

import { efsError, fileSystemIdShape, locksOutCaller, parsePolicy, policyShape } from "../../../domain/efs/mod.js";
import { body, changeFileSystem, type EfsOperation, label, ok, type StructureShape } from "./_operation.js";

const action = "Cannot put file system policy";

const input: StructureShape = {
  type: "structure",
  required: ["Policy"],
  members: { Policy: policyShape, BypassPolicyLockoutSafetyCheck: { type: "boolean" } },
};

export const putFileSystemPolicy: EfsOperation = {
  name: "PutFileSystemPolicy",
  method: "PUT",
  path: "/2015-02-01/file-systems/{FileSystemId}/policy",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const { Policy, BypassPolicyLockoutSafetyCheck } = body<{ Policy: string; BypassPolicyLockoutSafetyCheck?: boolean }>(request, input, action);
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
    return ok({ FileSystemId: updated.metadata.name, Policy: updated.spec.policy });
  },
};
