// Starting tasks, for RunTask and for services' deployments: the checks RunTask and
// CreateService share (launch type, platform version, network configuration, ECS's texts),
// then one EcsTask object per task, PROVISIONING, with what its sandbox needs copied from the
// task definition; controllers/ecs runs each as a pod. Subnets are taken in turn.

import { subnetKind, securityGroupKind, vpcKind } from "../../domain/securitygroups/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type EcsContext, ecsApiVersion, ecsError, parameterError, type Tag, taskKind } from "./_context.js";

export interface AwsVpcConfiguration {
  subnets: string[];
  securityGroups?: string[];
  assignPublicIp?: "ENABLED" | "DISABLED";
}

export interface NetworkConfiguration {
  awsvpcConfiguration?: AwsVpcConfiguration;
}

export interface LaunchRequest {
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
}

export interface TaskStart {
  cluster: string;
  definition: StoredObject;
  count: number;
  network: Required<Pick<AwsVpcConfiguration, "subnets" | "securityGroups">> & { assignPublicIp: string };
  platformVersion: string;
  group: string;
  startedBy?: string;
  tags?: Tag[];
  overrides?: { containerOverrides?: { name?: string; command?: string[]; environment?: { name?: string; value?: string }[] }[] };
  serviceName?: string;
  deploymentId?: string;
  /** The service's target groups, which the task joins while RUNNING (controllers/ecs). */
  loadBalancers?: { targetGroupArn?: string; containerName?: string; containerPort?: number }[];
}

const platformVersions = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"];
const subnetsMax = 16;
const securityGroupsMax = 5;

/** The checks of a launch on Fargate; the network configuration as ECS answers it (no groups stays none). */
export function checkLaunch(context: EcsContext, definition: StoredObject, request: LaunchRequest): { network: TaskStart["network"]; platformVersion: string } {
  const spec = definition.spec ?? {};
  if (request.launchType !== undefined && request.launchType !== "FARGATE") {
    // Moor has no container instances: EC2 and EXTERNAL launches find none, as in an empty cluster.
    throw parameterError("No Container Instances were found in your cluster.");
  }
  if (!(spec.compatibilities as string[]).includes("FARGATE")) throw parameterError("Task definition does not support launch_type FARGATE.");
  const platformVersion = request.platformVersion === undefined || request.platformVersion === "LATEST" ? "1.4.0" : request.platformVersion;
  // unverified text
  if (!platformVersions.includes(platformVersion)) throw ecsError("PlatformUnknownException", `The specified platform version ${request.platformVersion} does not exist.`);
  const efs = ((spec.volumes ?? []) as { efsVolumeConfiguration?: unknown }[]).some((volume) => volume.efsVolumeConfiguration);
  if (efs && platformVersion < "1.4.0") throw ecsError("PlatformTaskDefinitionIncompatibilityException", "One or more of the requested capabilities are not supported.");
  const vpc = request.networkConfiguration?.awsvpcConfiguration;
  if (!vpc) throw parameterError("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  return { network: checkNetwork(context, vpc), platformVersion };
}

function checkNetwork(context: EcsContext, vpc: AwsVpcConfiguration): TaskStart["network"] {
  const { store } = context;
  if (vpc.subnets.length === 0) throw parameterError("subnets can not be empty.");
  // unverified texts
  if (vpc.subnets.length > subnetsMax) throw parameterError(`subnets can have at most ${subnetsMax} items.`);
  if ((vpc.securityGroups ?? []).length > securityGroupsMax) throw parameterError(`securityGroups can have at most ${securityGroupsMax} items.`);
  const subnets = vpc.subnets.map((id) => {
    const subnet = store.get({ kind: subnetKind, name: id });
    if (!subnet) throw parameterError(`Error retrieving subnet information for [${id}]: The subnet ID '${id}' does not exist (ErrorCode: InvalidSubnetID.NotFound)`);
    return subnet;
  });
  const vpcIds = new Set(subnets.map((subnet) => subnet.spec?.vpcId));
  if (vpcIds.size > 1) throw parameterError("The subnets provided must all belong to the same VPC.");
  const vpcId = [...vpcIds][0] as string;
  for (const id of vpc.securityGroups ?? []) {
    const group = store.get({ kind: securityGroupKind, name: id });
    if (!group) throw parameterError(`Error retrieving security group information for [${id}]: The security group '${id}' does not exist (ErrorCode: InvalidGroup.NotFound)`);
    if (group.spec?.vpcId !== vpcId) throw parameterError(`Security group ${id} does not belong to the VPC of the subnets provided.`);
  }
  return { subnets: vpc.subnets, securityGroups: vpc.securityGroups ?? [], assignPublicIp: vpc.assignPublicIp ?? "DISABLED" };
}

/** A task given no security groups gets its VPC's default group, as ECS does. */
function defaultGroups(context: EcsContext, subnetId: string): string[] {
  const vpcId = String(context.store.get({ kind: subnetKind, name: subnetId })?.spec?.vpcId ?? "");
  const group = context.store.get({ kind: vpcKind, name: vpcId })?.spec?.defaultSecurityGroupId;
  return group ? [String(group)] : [];
}

/** Writes `count` tasks, PROVISIONING with desired status RUNNING; answers them as stored. */
export function startTasks(context: EcsContext, start: TaskStart): StoredObject[] {
  const { store } = context;
  const spec = start.definition.spec ?? {};
  const containers = (spec.containerDefinitions as { name: string; image: string; cpu?: number; memory?: number }[]).map((container) => ({
    name: container.name,
    image: container.image,
    containerId: context.randomUuid(),
    cpu: container.cpu ?? 0,
    ...(container.memory !== undefined ? { memory: container.memory } : {}),
  }));
  const running = store.list(taskKind, { namespace: start.cluster }).items.length;
  const securityGroupIds = start.network.securityGroups.length > 0 ? start.network.securityGroups : defaultGroups(context, start.network.subnets[0]!);
  const tasks: StoredObject[] = [];
  for (let index = 0; index < start.count; index++) {
    const subnetId = start.network.subnets[(running + index) % start.network.subnets.length]!;
    const subnet = store.get({ kind: subnetKind, name: subnetId });
    tasks.push(
      store.create({
        apiVersion: ecsApiVersion,
        kind: taskKind,
        metadata: { namespace: start.cluster, name: context.randomHex() },
        spec: {
          taskDefinitionArn: spec.taskDefinitionArn,
          family: spec.family,
          revision: spec.revision,
          cpu: spec.cpu,
          memory: spec.memory,
          taskRoleArn: start.definition.spec?.taskRoleArn,
          ...(start.definition.spec?.taskRoleArn ? { credentialsId: context.randomUuid() } : {}),
          containerDefinitions: spec.containerDefinitions,
          volumes: spec.volumes ?? [],
          containers,
          platformVersion: start.platformVersion,
          group: start.group,
          ...(start.startedBy ? { startedBy: start.startedBy } : {}),
          ...(start.serviceName ? { serviceName: start.serviceName, deploymentId: start.deploymentId } : {}),
          ...(start.loadBalancers?.length ? { loadBalancers: start.loadBalancers } : {}),
          overrides: { containerOverrides: start.overrides?.containerOverrides ?? containers.map((container) => ({ name: container.name })), inferenceAcceleratorOverrides: [] },
          tags: start.tags ?? [],
          subnetId,
          availabilityZone: subnet?.spec?.availabilityZone,
          securityGroupIds,
          attachmentId: context.randomUuid(),
          desiredStatus: "RUNNING",
        },
        status: { lastStatus: "PROVISIONING", version: 1 },
      }),
    );
  }
  return tasks;
}
