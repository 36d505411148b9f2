// DescribeBackupPolicy: GET /2015-02-01/file-systems/{FileSystemId}/backup-policy → 200
// {BackupPolicy}; 404 PolicyNotFound when backups were never asked for.

import { efsError, fileSystemIdShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { type EfsOperation, label, ok, requireFileSystem } from "./_operation.js";

const action = "Cannot describe backup policy";

export const describeBackupPolicy: EfsOperation = {
  name: "DescribeBackupPolicy",
  method: "GET",
  path: "/2015-02-01/file-systems/{FileSystemId}/backup-policy",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const fileSystem = requireFileSystem(context, id, action);
    const policy = fileSystem.spec.backupPolicy;
    if (!policy) throw efsError("PolicyNotFound", `${action}: file system ${quote(fileSystem.metadata.name)} has no backup policy`);
    return ok({ BackupPolicy: { Status: policy.status } });
  },
};
