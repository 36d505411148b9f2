// PutLifecycleConfiguration: an empty list removes the configuration. Moor keeps every file in
// one storage class; the policies are stored and reported, not acted on.

import { fileSystemIdShape, lifecyclePoliciesFrom, lifecyclePoliciesShape, lifecyclePoliciesToWire, type WireLifecyclePolicy } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { changeFileSystem, checkBody, checkRequired, type StructureShape } from "./_operation.js";

const action = "Cannot put lifecycle configuration";
const inputShape: StructureShape = { type: "structure", required: ["LifecyclePolicies"], members: { LifecyclePolicies: lifecyclePoliciesShape } };

export interface PutLifecycleConfigurationInput {
  FileSystemId: string;
  LifecyclePolicies: WireLifecyclePolicy[];
}

export function putLifecycleConfiguration(context: EfsContext, input: PutLifecycleConfigurationInput): { LifecyclePolicies: WireLifecyclePolicy[] } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  const { LifecyclePolicies } = checkBody<{ LifecyclePolicies: WireLifecyclePolicy[] }>(input, inputShape, action);
  const updated = changeFileSystem(context, id, action, (fileSystem) => ({
    ...fileSystem,
    spec: { ...fileSystem.spec, lifecyclePolicies: lifecyclePoliciesFrom(LifecyclePolicies, fileSystem.spec, action) },
  }));
  return { LifecyclePolicies: lifecyclePoliciesToWire(updated.spec.lifecyclePolicies) };
}
