// DescribeLifecycleConfiguration: GET /2015-02-01/file-systems/{FileSystemId}/lifecycle-configuration
// → 200 {LifecyclePolicies} ([] when none).

import { fileSystemIdShape, lifecyclePoliciesToWire } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, ok, requireFileSystem } from "./_operation.js";

const action = "Cannot describe lifecycle configuration";

export const describeLifecycleConfiguration: EfsOperation = {
  name: "DescribeLifecycleConfiguration",
  method: "GET",
  path: "/2015-02-01/file-systems/{FileSystemId}/lifecycle-configuration",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    return ok({ LifecyclePolicies: lifecyclePoliciesToWire(requireFileSystem(context, id, action).spec.lifecyclePolicies) });
  },
};
