// DescribeNetworkAcls: each VPC's default network ACL, allowing everything both ways as AWS's
// default ACL does, associated with every subnet of the VPC. Security groups are what Moor
// enforces; ACLs are not yet made or changed by request.

import type { CallContext, Ec2Context } from "./_context.js";
import { ec2Error } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listSubnets, listVpcs } from "./_objects.js";

export interface DescribeNetworkAclsInput {
  NetworkAclIds?: string[];
  Filters?: Filter[];
}

const entries = [false, true].flatMap((egress) => [
  { CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: "allow", RuleNumber: 100 },
  { CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767 },
]);

export function describeNetworkAcls(context: Ec2Context, input: DescribeNetworkAclsInput, _call: CallContext) {
  const acls = listVpcs(context).map((vpc) => {
    const suffix = vpc.metadata.name.slice(4);
    const id = `acl-${suffix}`;
    const subnets = listSubnets(context).filter((subnet) => subnet.spec.vpcId === vpc.metadata.name);
    return {
      NetworkAclId: id,
      VpcId: vpc.metadata.name,
      OwnerId: vpc.spec.ownerId,
      IsDefault: true,
      Entries: entries,
      Associations: subnets.map((subnet) => ({ NetworkAclAssociationId: `aclassoc-${subnet.metadata.name.slice(7)}`, NetworkAclId: id, SubnetId: subnet.metadata.name })),
      Tags: [],
    };
  });
  let chosen = acls;
  if (input.NetworkAclIds?.length) {
    chosen = input.NetworkAclIds.map((id) => {
      const found = acls.find((acl) => acl.NetworkAclId === id);
      if (!found) throw ec2Error("NotFound", "InvalidNetworkAclID.NotFound", `The networkAcl ID '${id}' does not exist`);
      return found;
    });
  }
  const fields: Record<string, (acl: (typeof acls)[number]) => string | string[]> = {
    "network-acl-id": (acl) => acl.NetworkAclId,
    "vpc-id": (acl) => acl.VpcId,
    default: () => "true",
    "association.subnet-id": (acl) => acl.Associations.map((association) => association.SubnetId),
    "owner-id": (acl) => acl.OwnerId,
  };
  return { NetworkAcls: applyFilters(chosen, input.Filters, (acl, name) => fields[name]?.(acl), (acl) => acl.Tags) };
}
