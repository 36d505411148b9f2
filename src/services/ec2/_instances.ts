// EC2 instances in the store (kind Instance in ec2.moor.dev, named by the instance id): what
// RunInstances asked for (spec, with the state the user wants) and what the instance controller
// reports (status: the lifecycle state, the private address from the instance's pod). Found by
// id as EC2's errors say, and written out in the Instance shape's member names.

import type { Tag } from "../../domain/securitygroups/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";

export const instanceKind = "Instance";

export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export const stateCodes: Record<InstanceStateName, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };

export interface InstanceSpec {
  imageId: string;
  instanceType: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  securityGroupIds: string[];
  keyName?: string;
  /** Base64, as RunInstances received it. */
  userData?: string;
  tags: Tag[];
  reservationId: string;
  launchIndex: number;
  clientToken?: string;
  httpTokens: "optional" | "required";
  /** What the user last asked for. */
  desiredState: "running" | "stopped" | "terminated";
  ownerId: string;
  /** The IAM instance profile the instance acts with (its role presents `iam` EFS mounts). */
  iamInstanceProfile?: { arn: string; id: string };
}

export interface InstanceStatus {
  state: InstanceStateName;
  launchTime: string;
  privateIpAddress?: string;
  stateTransitionReason?: string;
  /** Set once the first boot was handed the user data: later boots do not run it. */
  userDataDelivered?: boolean;
  terminatedAt?: string;
}

export type InstanceObject = StoredObject<InstanceSpec, InstanceStatus> & { spec: InstanceSpec; status: InstanceStatus };

export function listInstances(context: Ec2Context): InstanceObject[] {
  return context.store.list(instanceKind).items as InstanceObject[];
}

export function requireInstance(context: Ec2Context, instanceId: string): InstanceObject {
  if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(instanceId)) throw ec2Error("Invalid", "InvalidInstanceID.Malformed", `Invalid id: "${instanceId}"`);
  const found = context.store.get({ kind: instanceKind, name: instanceId }) as InstanceObject | undefined;
  if (!found) throw ec2Error("NotFound", "InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
  return found;
}

/** Every named instance, or EC2's one error naming all the missing ones. */
export function requireInstances(context: Ec2Context, instanceIds: readonly string[]): InstanceObject[] {
  const missing = instanceIds.filter((id) => !context.store.get({ kind: instanceKind, name: id }));
  if (missing.length > 1) throw ec2Error("NotFound", "InvalidInstanceID.NotFound", `The instance IDs '${missing.join(", ")}' do not exist`);
  return instanceIds.map((id) => requireInstance(context, id));
}

export function stateOf(name: InstanceStateName) {
  return { Code: stateCodes[name], Name: name };
}

/** The private DNS name AWS gives an address: `ip-10-42-0-5.ec2.internal` in us-east-1. */
export function privateDnsName(region: string, address: string | undefined): string {
  if (!address) return "";
  return `ip-${address.replace(/\./g, "-")}.${region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`}`;
}

export function interfaceIdOf(instanceId: string): string {
  return `eni-${instanceId.slice(2).padStart(17, "0")}`;
}

function groupsOf(context: Ec2Context, instance: InstanceObject) {
  return instance.spec.securityGroupIds.map((id) => ({ GroupId: id, GroupName: (context.store.get({ kind: "SecurityGroup", name: id }) as { spec?: { groupName?: string } } | undefined)?.spec?.groupName ?? "" }));
}

function networkInterfaces(context: Ec2Context, instance: InstanceObject) {
  const address = instance.status.privateIpAddress;
  if (instance.status.state === "terminated") return [];
  const dns = privateDnsName(context.region, address);
  return [{
    Attachment: { AttachTime: new Date(instance.status.launchTime), AttachmentId: `eni-attach-${instance.metadata.name.slice(2).padStart(17, "0")}`, DeleteOnTermination: true, DeviceIndex: 0, Status: "attached", NetworkCardIndex: 0 },
    Description: "",
    Groups: groupsOf(context, instance),
    Ipv6Addresses: [],
    MacAddress: "02:42:0a:2a:00:01",
    NetworkInterfaceId: interfaceIdOf(instance.metadata.name),
    OwnerId: instance.spec.ownerId,
    PrivateDnsName: dns,
    ...(address ? { PrivateIpAddress: address, PrivateIpAddresses: [{ Primary: true, PrivateDnsName: dns, PrivateIpAddress: address }] } : { PrivateIpAddresses: [] }),
    SourceDestCheck: true,
    Status: "in-use",
    SubnetId: instance.spec.subnetId,
    VpcId: instance.spec.vpcId,
    InterfaceType: "interface",
  }];
}

/** The Instance shape, as DescribeInstances and RunInstances return it. */
export function instanceOutput(context: Ec2Context, call: CallContext, instance: InstanceObject) {
  const { spec, status } = instance;
  const address = status.state === "terminated" ? undefined : status.privateIpAddress;
  const stopped = status.state === "stopped" || status.state === "terminated";
  return {
    InstanceId: instance.metadata.name,
    ImageId: spec.imageId,
    State: stateOf(status.state),
    PrivateDnsName: privateDnsName(call.region, address),
    PublicDnsName: "",
    StateTransitionReason: status.stateTransitionReason ?? "",
    ...(spec.keyName ? { KeyName: spec.keyName } : {}),
    ...(spec.iamInstanceProfile ? { IamInstanceProfile: { Arn: spec.iamInstanceProfile.arn, Id: spec.iamInstanceProfile.id } } : {}),
    AmiLaunchIndex: spec.launchIndex,
    ProductCodes: [],
    InstanceType: spec.instanceType,
    LaunchTime: new Date(status.launchTime),
    Placement: { AvailabilityZone: spec.availabilityZone, GroupName: "", Tenancy: "default" },
    Monitoring: { State: "disabled" },
    ...(status.state === "terminated" ? {} : { SubnetId: spec.subnetId, VpcId: spec.vpcId }),
    ...(address ? { PrivateIpAddress: address } : {}),
    Architecture: "x86_64",
    BlockDeviceMappings: [],
    ...(spec.clientToken ? { ClientToken: spec.clientToken } : {}),
    EbsOptimized: false,
    EnaSupport: true,
    Hypervisor: "xen",
    NetworkInterfaces: networkInterfaces(context, instance),
    RootDeviceName: "/dev/xvda",
    RootDeviceType: "ebs",
    SecurityGroups: status.state === "terminated" ? [] : groupsOf(context, instance),
    SourceDestCheck: true,
    ...(stopped ? { StateReason: { Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown" } } : {}),
    Tags: spec.tags,
    VirtualizationType: "hvm",
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    CapacityReservationSpecification: { CapacityReservationPreference: "open" },
    HibernationOptions: { Configured: false },
    MetadataOptions: { State: "applied", HttpTokens: spec.httpTokens, HttpPutResponseHopLimit: 2, HttpEndpoint: "enabled", HttpProtocolIpv6: "disabled", InstanceMetadataTags: "disabled" },
    EnclaveOptions: { Enabled: false },
    PlatformDetails: "Linux/UNIX",
    UsageOperation: "RunInstances",
    UsageOperationUpdateTime: new Date(status.launchTime),
    PrivateDnsNameOptions: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: "default" },
    CurrentInstanceBootMode: "legacy-bios",
  };
}
