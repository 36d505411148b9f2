// PutLifecycleConfiguration: PUT /2015-02-01/file-systems/{FileSystemId}/lifecycle-configuration
// → 200 {LifecyclePolicies}. An empty list removes the configuration. Moor keeps every file in
// one storage class; the policies are stored and reported, not acted on.

import { fileSystemIdShape, lifecyclePoliciesFrom, lifecyclePoliciesShape, lifecyclePoliciesToWire, type WireLifecyclePolicy } from "../../../domain/efs/mod.js";
import { body, changeFileSystem, type EfsOperation, label, ok, type StructureShape } from "./_operation.js";

const action = "Cannot put lifecycle configuration";
const input: StructureShape = { type: "structure", required: ["LifecyclePolicies"], members: { LifecyclePolicies: lifecyclePoliciesShape } };

export const putLifecycleConfiguration: EfsOperation = {
  name: "PutLifecycleConfiguration",
  method: "PUT",
  path: "/2015-02-01/file-systems/{FileSystemId}/lifecycle-configuration",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const { LifecyclePolicies } = body<{ LifecyclePolicies: WireLifecyclePolicy[] }>(request, input, action);
    const updated = changeFileSystem(context, id, action, (fileSystem) => ({
      ...fileSystem,
      spec: { ...fileSystem.spec, lifecyclePolicies: lifecyclePoliciesFrom(LifecyclePolicies, fileSystem.spec, action) },
    }));
    return ok({ LifecyclePolicies: lifecyclePoliciesToWire(updated.spec.lifecyclePolicies) });
  },
};
