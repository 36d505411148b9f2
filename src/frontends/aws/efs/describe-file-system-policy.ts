// DescribeFileSystemPolicy: GET /2015-02-01/file-systems/{FileSystemId}/policy → 200
// {FileSystemId, Policy}; 404 PolicyNotFound while the default policy applies.

import { efsError, fileSystemIdShape } from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import { type EfsOperation, label, ok, requireFileSystem } from "./_operation.js";

const action = "Cannot describe file system policy";

export const describeFileSystemPolicy: EfsOperation = {
  name: "DescribeFileSystemPolicy",
  method: "GET",
  path: "/2015-02-01/file-systems/{FileSystemId}/policy",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const fileSystem = requireFileSystem(context, id, action);
    if (fileSystem.spec.policy === undefined) {
      throw efsError("PolicyNotFound", `${action}: file system ${quote(fileSystem.metadata.name)} has no explicit policy; the default policy applies`);
    }
    return ok({ FileSystemId: fileSystem.metadata.name, Policy: fileSystem.spec.policy });
  },
};
