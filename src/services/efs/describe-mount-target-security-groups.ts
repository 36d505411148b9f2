// DescribeMountTargetSecurityGroups: the mount target's groups, unless it is on its way out.

import { mountTargetIdShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired } from "./_operation.js";
import { requireUsableMountTarget } from "./modify-mount-target-security-groups.js";

const action = "Cannot describe mount target security groups";

export interface DescribeMountTargetSecurityGroupsInput {
  MountTargetId: string;
}

export function describeMountTargetSecurityGroups(context: EfsContext, input: DescribeMountTargetSecurityGroupsInput): { SecurityGroups: string[] } {
  const id = input.MountTargetId;
  checkRequired(id, "MountTargetId", mountTargetIdShape, action);
  const target = requireUsableMountTarget(context, id, action);
  return { SecurityGroups: target.spec.securityGroups };
}
