// PutBackupPolicy: PUT /2015-02-01/file-systems/{FileSystemId}/backup-policy → 200
// {BackupPolicy}. Only ENABLED and DISABLED may be asked for (ENABLING and DISABLING are states
// AWS reports). Moor records the choice; it takes no backups.

import { backupPolicyShape, badRequest, type BackupStatus, fileSystemIdShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { body, changeFileSystem, type EfsOperation, label, ok, type StructureShape } from "./_operation.js";

const action = "Cannot put backup policy";
const input: StructureShape = { type: "structure", required: ["BackupPolicy"], members: { BackupPolicy: backupPolicyShape } };

export const putBackupPolicy: EfsOperation = {
  name: "PutBackupPolicy",
  method: "PUT",
  path: "/2015-02-01/file-systems/{FileSystemId}/backup-policy",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const status = body<{ BackupPolicy: { Status: BackupStatus } }>(request, input, action).BackupPolicy.Status;
    if (status !== "ENABLED" && status !== "DISABLED") throw badRequest(`${action}: BackupPolicy.Status ${quote(status)} cannot be set; use "ENABLED" or "DISABLED"`);
    changeFileSystem(context, id, action, (fileSystem) => ({ ...fileSystem, spec: { ...fileSystem.spec, backup: status === "ENABLED", backupPolicy: { status } } }));
    return ok({ BackupPolicy: { Status: status } });
  },
};
