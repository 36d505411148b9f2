// PutBackupPolicy: only ENABLED and DISABLED may be asked for (ENABLING and DISABLING are states
// AWS reports). Moor records the choice; it takes no backups.

import { backupPolicyShape, badRequest, type BackupStatus, fileSystemIdShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { changeFileSystem, checkBody, checkRequired, type StructureShape } from "./_operation.js";

const action = "Cannot put backup policy";
const inputShape: StructureShape = { type: "structure", required: ["BackupPolicy"], members: { BackupPolicy: backupPolicyShape } };

export interface PutBackupPolicyInput {
  FileSystemId: string;
  BackupPolicy: { Status: BackupStatus };
}

export function putBackupPolicy(context: EfsContext, input: PutBackupPolicyInput): { BackupPolicy: { Status: BackupStatus } } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const status = checkBody<{ BackupPolicy: { Status: BackupStatus } }>(input, inputShape, action).BackupPolicy.Status;
  if (status !== "ENABLED" && status !== "DISABLED") throw badRequest(`${action}: BackupPolicy.Status ${quote(status)} cannot be set; use "ENABLED" or "DISABLED"`);
  changeFileSystem(context, id, action, (fileSystem) => ({ ...fileSystem, spec: { ...fileSystem.spec, backup: status === "ENABLED", backupPolicy: { status } } }));
  return { BackupPolicy: { Status: status } };
}
