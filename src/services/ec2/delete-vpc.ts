// DeleteVpc: only when no subnet and no group but its `default` one is left; that one goes with it.

import { securityGroupKind, vpcKind } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { listGroups, listSubnets, requireVpc } from "./_objects.js";

export interface DeleteVpcInput {
  VpcId: string;
}

export function deleteVpc(context: Ec2Context, input: DeleteVpcInput, _call: CallContext): void {
  context.store.transaction(() => {
    const vpc = requireVpc(context, input.VpcId);
    const dependent = listSubnets(context).some((subnet) => subnet.spec.vpcId === input.VpcId) ||
      listGroups(context).some((group) => group.spec.vpcId === input.VpcId && group.metadata.name !== vpc.spec.defaultSecurityGroupId);
    if (dependent) throw ec2Error("Conflict", "DependencyViolation", `The vpc '${input.VpcId}' has dependencies and cannot be deleted.`);
    if (context.store.get({ kind: securityGroupKind, name: vpc.spec.defaultSecurityGroupId })) context.store.delete({ kind: securityGroupKind, name: vpc.spec.defaultSecurityGroupId });
    context.store.delete({ kind: vpcKind, name: input.VpcId });
  });
}
