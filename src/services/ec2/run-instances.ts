// RunInstances: MaxCount instances in one reservation, each to run as a sandbox (a pod in
// namespace aws-ec2, written by the instance controller) from Moor's Debian instance image,
// whatever AMI id is named. The subnet (else the embedded VPC's first private subnet), its
// zone and VPC, the security groups (else the VPC's default group), the key name, the user
// data (base64, run once at first boot), the instance type, the IAM instance profile and the
// tags are kept as given.

import { type CallContext, type Ec2Context, ec2Error, newId } from "./_context.js";
import { instanceTypeShape } from "./_instance-types.js";
import { type InstanceObject, instanceKind, instanceOutput, listInstances } from "./_instances.js";
import { isEmbeddedSubnet, requireGroup, requireSubnet, requireVpc, type TagSpecification, tagsFor } from "./_objects.js";

export interface RunInstancesInput {
  ImageId?: string;
  InstanceType?: string;
  MinCount: number;
  MaxCount: number;
  SubnetId?: string;
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  KeyName?: string;
  UserData?: string;
  TagSpecifications?: TagSpecification[];
  ClientToken?: string;
  MetadataOptions?: { HttpTokens?: "optional" | "required" };
  NetworkInterfaces?: { SubnetId?: string; Groups?: string[]; DeviceIndex?: number }[];
  IamInstanceProfile?: { Arn?: string; Name?: string };
}

/** The IAM service's instance profiles, read as stored (services do not call one another). */
const instanceProfileKind = "IamInstanceProfile";

/** The named instance profile's ARN and id, or EC2's refusal. */
function instanceProfile(context: Ec2Context, input: RunInstancesInput): { arn: string; id: string } | undefined {
  const given = input.IamInstanceProfile;
  if (!given || (!given.Arn && !given.Name)) return undefined;
  const byArn = given.Arn !== undefined;
  const value = (byArn ? given.Arn : given.Name)!;
  const name = byArn ? value.slice(value.lastIndexOf("/") + 1) : value;
  const found = context.store.get({ kind: instanceProfileKind, name: name.toLowerCase() }) as { spec?: { arn: string; instanceProfileId: string } } | undefined;
  if (!found?.spec || (byArn && found.spec.arn !== value)) {
    const what = byArn ? "arn" : "name";
    throw ec2Error("Invalid", "InvalidParameterValue", `Value (${value}) for parameter iamInstanceProfile.${what} is invalid. Invalid IAM Instance Profile ${byArn ? "ARN" : "name"}`);
  }
  return { arn: found.spec.arn, id: found.spec.instanceProfileId };
}

/** Instances one call may start: AWS's default vCPU quota allows about this many small ones. */
const instancesPerCallMax = 20;
const userDataBytesMax = 16 * 1024;

function checkCounts(input: RunInstancesInput): void {
  if (input.MinCount < 1) throw ec2Error("Invalid", "InvalidParameterValue", `Value (${input.MinCount}) for parameter minCount is invalid. Expected a positive integer.`);
  if (input.MaxCount < input.MinCount) throw ec2Error("Invalid", "InvalidParameterValue", `Value (${input.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount.`);
  if (input.MinCount > instancesPerCallMax) {
    throw ec2Error("LimitExceeded", "InstanceLimitExceeded", `Your quota allows for 0 more running instance(s). You requested at least ${input.MinCount}`);
  }
}

function checkImageAndUserData(input: RunInstancesInput): void {
  if (!input.ImageId) throw ec2Error("Invalid", "MissingParameter", "The request must contain the parameter ImageId");
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(input.ImageId)) throw ec2Error("Invalid", "InvalidAMIID.Malformed", `Invalid id: "${input.ImageId}" (expecting "ami-...")`);
  if (input.InstanceType !== undefined && !instanceTypeShape(input.InstanceType)) {
    throw ec2Error("Invalid", "InvalidParameterValue", `Invalid value '${input.InstanceType}' for InstanceType.`);
  }
  if (input.UserData !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.UserData)) throw ec2Error("Invalid", "InvalidParameterValue", "Invalid BASE64 encoding of user data.");
    if (Buffer.from(input.UserData, "base64").length > userDataBytesMax) throw ec2Error("Invalid", "InvalidParameterValue", "User data is limited to 16384 bytes");
  }
}

/** The subnet and groups, from the top-level members or the primary network interface's. */
function placement(context: Ec2Context, input: RunInstancesInput) {
  const primary = input.NetworkInterfaces?.find((entry) => (entry.DeviceIndex ?? 0) === 0);
  const subnetId = input.SubnetId ?? primary?.SubnetId ?? context.vpc.subnets[0]!.subnetId;
  const subnet = requireSubnet(context, subnetId);
  if (!isEmbeddedSubnet(context, subnetId)) {
    throw ec2Error("Unsupported", "Unsupported", `Cannot run an instance in subnet '${subnetId}': Moor runs instances only in the embedded VPC's private subnets`);
  }
  const vpc = requireVpc(context, subnet.spec.vpcId);
  const named = [...(input.SecurityGroupIds ?? []), ...(primary?.Groups ?? [])];
  const byName = (input.SecurityGroups ?? []).map((name) => {
    const found = context.store.list("SecurityGroup").items.find((group) => group.spec.groupName === name && group.spec.vpcId === vpc.metadata.name);
    if (!found) throw ec2Error("NotFound", "InvalidGroup.NotFound", `The security group '${name}' does not exist in VPC '${vpc.metadata.name}'`);
    return found.metadata.name;
  });
  const groups = [...new Set([...named, ...byName])];
  for (const id of groups) {
    if (requireGroup(context, id).spec.vpcId !== vpc.metadata.name) {
      throw ec2Error("Invalid", "InvalidParameter", `Security group ${id} and subnet ${subnetId} belong to different networks.`);
    }
  }
  return { subnet, vpcId: vpc.metadata.name, groups: groups.length > 0 ? groups : [vpc.spec.defaultSecurityGroupId] };
}

export function runInstances(context: Ec2Context, input: RunInstancesInput, call: CallContext) {
  checkCounts(input);
  checkImageAndUserData(input);
  return context.store.transaction(() => {
    if (input.ClientToken) {
      const earlier = listInstances(context).filter((instance) => instance.spec.clientToken === input.ClientToken);
      if (earlier.length > 0) return reservationOutput(context, call, earlier);
    }
    const { subnet, vpcId, groups } = placement(context, input);
    const profile = instanceProfile(context, input);
    const reservationId = newId(context, "r");
    const launchTime = context.now().toISOString();
    const tags = tagsFor("instance", input.TagSpecifications);
    const created = Array.from({ length: input.MaxCount }, (_, launchIndex) => {
      const instance: InstanceObject = {
        apiVersion: "ec2.moor.dev/v1",
        kind: instanceKind,
        metadata: { name: newId(context, "i") },
        spec: {
          imageId: input.ImageId!,
          instanceType: input.InstanceType ?? "m1.small",
          subnetId: subnet.metadata.name,
          vpcId,
          availabilityZone: subnet.spec.availabilityZone,
          securityGroupIds: groups,
          ...(input.KeyName ? { keyName: input.KeyName } : {}),
          ...(input.UserData ? { userData: input.UserData } : {}),
          tags,
          reservationId,
          launchIndex,
          ...(input.ClientToken ? { clientToken: input.ClientToken } : {}),
          httpTokens: input.MetadataOptions?.HttpTokens ?? "optional",
          desiredState: "running",
          ownerId: context.accountId,
          ...(profile ? { iamInstanceProfile: profile } : {}),
        },
        status: { state: "pending", launchTime },
      };
      return context.store.create(instance) as InstanceObject;
    });
    return reservationOutput(context, call, created);
  });
}

function reservationOutput(context: Ec2Context, call: CallContext, instances: InstanceObject[]) {
  return {
    ReservationId: instances[0]!.spec.reservationId,
    OwnerId: context.accountId,
    Groups: [],
    Instances: instances.map((instance) => instanceOutput(context, call, instance)),
  };
}
