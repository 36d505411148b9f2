// ModifyMountTargetSecurityGroups: replaces the whole set; the groups must be the VPC's (at most
// five).

import { badRequest, efsError, type MountTargetObject, mountTargetIdShape, mountTargetSecurityGroups, securityGroupsShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import { type EfsContext, isVpcSecurityGroup } from "./_context.js";
import { checkBody, checkRequired, requireMountTarget, type StructureShape } from "./_operation.js";

const action = "Cannot modify mount target security groups";

const inputShape: StructureShape = { type: "structure", members: { SecurityGroups: securityGroupsShape } };

export interface ModifyMountTargetSecurityGroupsInput {
  MountTargetId: string;
  SecurityGroups?: string[];
}

export function modifyMountTargetSecurityGroups(context: EfsContext, input: ModifyMountTargetSecurityGroupsInput): void {
  const id = input.MountTargetId;
  checkRequired(id, "MountTargetId", mountTargetIdShape, action);
  const { SecurityGroups } = checkBody<{ SecurityGroups?: string[] }>(input, inputShape, action);
  if (SecurityGroups === undefined || SecurityGroups.length === 0) throw badRequest(`${action}: SecurityGroups is required and must not be empty`);
  context.store.transaction(() => {
    const target = requireUsableMountTarget(context, id, action);
    const securityGroups = mountTargetSecurityGroups(SecurityGroups, context.vpc, action, (id) => isVpcSecurityGroup(context, id));
    context.store.update({ ...target, spec: { ...target.spec, securityGroups } });
  });
}

/** The mount target, unless it is on its way out (409 IncorrectMountTargetState). */
export function requireUsableMountTarget(context: EfsContext, id: string, action: string): MountTargetObject {
  const target = requireMountTarget(context, id, action);
  const state = target.status.lifeCycleState;
  if (state !== "creating" && state !== "available") {
  throw efsError("IncorrectMountTargetState", `${action}: mount target ${quote(id)} is ${quote(state)}`);
  }
  return target;
}
