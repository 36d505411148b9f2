// DescribeBackupPolicy: PolicyNotFound when backups were never asked for.

import { efsError, fileSystemIdShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired, requireFileSystem } from "./_operation.js";

const action = "Cannot describe backup policy";

export interface DescribeBackupPolicyInput {
  FileSystemId: string;
}

export function describeBackupPolicy(context: EfsContext, input: DescribeBackupPolicyInput): { BackupPolicy: { Status: string } } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const fileSystem = requireFileSystem(context, id, action);
  const policy = fileSystem.spec.backupPolicy;
  if (!policy) throw efsError("PolicyNotFound", `${action}: file system ${quote(fileSystem.metadata.name)} has no backup policy`);
  return { BackupPolicy: { Status: policy.status } };
}
