// DescribeFileSystemPolicy: PolicyNotFound while the default policy applies.

import { efsError, fileSystemIdShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired, requireFileSystem } from "./_operation.js";

const action = "Cannot describe file system policy";

export interface DescribeFileSystemPolicyInput {
  FileSystemId: string;
}

export function describeFileSystemPolicy(context: EfsContext, input: DescribeFileSystemPolicyInput): { FileSystemId: string; Policy: string } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const fileSystem = requireFileSystem(context, id, action);
  if (fileSystem.spec.policy === undefined) {
    throw efsError("PolicyNotFound", `${action}: file system ${quote(fileSystem.metadata.name)} has no explicit policy; the default policy applies`);
  }
  return { FileSystemId: fileSystem.metadata.name, Policy: fileSystem.spec.policy };
}
