// DeleteSecurityGroup: never a VPC's `default` group; never a group an address (a pod, a mount
// target) or another group's rule still uses.

import { clusterSecurityGroupId, securityGroupKind } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { listInterfaces } from "./_interfaces.js";
import { groupOfCall, listGroups } from "./_objects.js";

export interface DeleteSecurityGroupInput {
  GroupId?: string;
  GroupName?: string;
}

export function deleteSecurityGroup(context: Ec2Context, input: DeleteSecurityGroupInput, _call: CallContext) {
  return context.store.transaction(() => {
    const group = groupOfCall(context, input);
    const id = group.metadata.name;
    if (group.spec.groupName === "default") {
      throw ec2Error("Invalid", "CannotDelete", `the specified group: "${id}" name: "default" cannot be deleted by a user`);
    }
    const referenced = listGroups(context).some(
      (other) => other.metadata.name !== id && [...other.spec.ingress, ...other.spec.egress].some((rule) => rule.referencedGroupId === id),
    );
    const attached = listInterfaces(context).some((eni) => eni.securityGroupIds.includes(id)) || id === clusterSecurityGroupId;
    if (referenced || attached) throw ec2Error("Conflict", "DependencyViolation", `resource ${id} has a dependent object`);
    context.store.delete({ kind: securityGroupKind, name: id });
    return { Return: true, GroupId: id };
  });
}
