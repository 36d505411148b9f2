// DescribeLifecycleConfiguration: the stored policies ([] when none).

import { fileSystemIdShape, lifecyclePoliciesToWire, type WireLifecyclePolicy } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired, requireFileSystem } from "./_operation.js";

const action = "Cannot describe lifecycle configuration";

export interface DescribeLifecycleConfigurationInput {
  FileSystemId: string;
}

export function describeLifecycleConfiguration(context: EfsContext, input: DescribeLifecycleConfigurationInput): { LifecyclePolicies: WireLifecyclePolicy[] } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  return { LifecyclePolicies: lifecyclePoliciesToWire(requireFileSystem(context, id, action).spec.lifecyclePolicies) };
}
