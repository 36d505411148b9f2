// CreateSecurityGroup: a name unique in its VPC (not `default`, not `sg-…`), in the embedded VPC
// unless another is named, with EC2's one egress rule (everything to everywhere).

import { ec2ApiVersion, type SecurityGroupObject, securityGroupKind } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error, newId } from "./_context.js";
import { groupArn } from "./_describe.js";
import { listGroups, requireVpc, type TagSpecification, tagsFor } from "./_objects.js";

export interface CreateSecurityGroupInput {
  GroupName: string;
  Description: string;
  VpcId?: string;
  TagSpecifications?: TagSpecification[];
}

const nameLengthMax = 255;

function checkName(name: string): void {
  if (name === "default") throw ec2Error("Invalid", "InvalidParameterValue", "Cannot use reserved security group name: default");
  if (name.startsWith("sg-")) throw ec2Error("Invalid", "InvalidParameterValue", "Group names may not be in the format sg-*");
  if (name.length === 0 || name.length > nameLengthMax) {
    throw ec2Error("Invalid", "InvalidParameterValue", `Value (${name}) for parameter GroupName is invalid. Length must be 1 to ${nameLengthMax} characters`);
  }
}

export function createSecurityGroup(context: Ec2Context, input: CreateSecurityGroupInput, call: CallContext) {
  checkName(input.GroupName);
  const vpcId = input.VpcId ?? context.vpc.vpcId;
  return context.store.transaction(() => {
    requireVpc(context, vpcId);
    if (listGroups(context).some((group) => group.spec.vpcId === vpcId && group.spec.groupName === input.GroupName)) {
      throw ec2Error("AlreadyExists", "InvalidGroup.Duplicate", `The security group '${input.GroupName}' already exists for VPC '${vpcId}'`);
    }
    const group: SecurityGroupObject = {
      apiVersion: ec2ApiVersion,
      kind: securityGroupKind,
      metadata: { name: newId(context, "sg") },
      spec: {
        groupName: input.GroupName,
        description: input.Description,
        vpcId,
        ownerId: context.accountId,
        ingress: [],
        egress: [{ ruleId: newId(context, "sgr"), protocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" }],
        tags: tagsFor("security-group", input.TagSpecifications),
      },
    };
    context.store.create(group);
    return { GroupId: group.metadata.name, Tags: group.spec.tags, SecurityGroupArn: groupArn(call, group) };
  });
}
