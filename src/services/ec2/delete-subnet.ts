// DeleteSubnet: refused while an address in it is handed out, and for the embedded VPC's three
// private subnets, which the cluster and its Fargate profiles use (on AWS their ENIs hold them).

import { subnetKind } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { listInterfaces } from "./_interfaces.js";
import { isEmbeddedSubnet, requireSubnet } from "./_objects.js";

export interface DeleteSubnetInput {
  SubnetId: string;
}

export function deleteSubnet(context: Ec2Context, input: DeleteSubnetInput, _call: CallContext): void {
  context.store.transaction(() => {
    requireSubnet(context, input.SubnetId);
    const inUse = listInterfaces(context).some((eni) => eni.subnetId === input.SubnetId);
    if (inUse || isEmbeddedSubnet(context, input.SubnetId)) {
      throw ec2Error("Conflict", "DependencyViolation", `The subnet '${input.SubnetId}' has dependencies and cannot be deleted.`);
    }
    context.store.delete({ kind: subnetKind, name: input.SubnetId });
  });
}
