// What a task learns about itself from inside (docs/compat/ecs.md, "Inside a task"): the
// environment ECS puts in every container (the task metadata endpoint v4 and v3 URIs, the
// task-role credentials' relative URI when the task has a role, the region), and the answers
// of the endpoint at 169.254.170.2 for one task: its container metadata by id, its task
// metadata, and which role its credentials act as. The metadata server picks the task by the
// source address of the request.

import { clusterArn, containerArn, type Place, taskArn } from "./_arns.js";
import { parseCpuUnits, parseMemoryMiB } from "./_task-size.js";

export const taskMetadataAddress = "169.254.170.2";

/** A task as the metadata endpoint serves it; `containers` is keyed by the id in the v4 URI. */
export interface TaskMetadata {
  address: string;
  task: Record<string, unknown>;
  containers: Record<string, Record<string, unknown>>;
  /** The id in `/v2/credentials/<id>`, the role and the session name (the task id, as ECS names it). */
  credentials?: { id: string; roleArn: string; sessionName: string };
  /** By DockerId: the sandbox a running container is in (its pod's uid, its runtime id), for its stats. */
  sandboxes?: Record<string, { podUid: string; runtimeId: string }>;
}

interface TaskView {
  metadata: { name: string; namespace?: string };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

/** A container's id on Fargate: the task id, a hyphen and ten digits (here, fixed by its container id). */
export function containerMetadataId(taskId: string, containerId: string): string {
  const digits = String(Number.parseInt(containerId.replace(/-/g, "").slice(0, 8), 16) || 0).padStart(10, "0").slice(-10);
  return `${taskId}-${digits}`;
}

/** The variables ECS sets in a container of the task (the container's own metadata id). */
export function taskEnvironment(metadataId: string, region: string, credentialsId?: string): { name: string; value: string }[] {
  return [
    { name: "ECS_CONTAINER_METADATA_URI_V4", value: `http://${taskMetadataAddress}/v4/${metadataId}` },
    { name: "ECS_CONTAINER_METADATA_URI", value: `http://${taskMetadataAddress}/v3/${metadataId}` },
    ...(credentialsId ? [{ name: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", value: `/v2/credentials/${credentialsId}` }] : []),
    { name: "AWS_EXECUTION_ENV", value: "AWS_ECS_FARGATE" },
    { name: "AWS_REGION", value: region },
    { name: "AWS_DEFAULT_REGION", value: region },
  ];
}

function networkOf(task: TaskView, subnetCidr: string | undefined) {
  const status = task.status ?? {};
  const gateway = subnetCidr ? subnetCidr.split("/")[0]!.replace(/\.\d+$/, (last) => `.${Number(last.slice(1)) + 1}`) : undefined;
  return {
    AttachmentIndex: 0,
    NetworkMode: "awsvpc",
    IPv4Addresses: [status.privateIPv4Address],
    MACAddress: status.macAddress,
    PrivateDNSName: status.privateDnsName,
    ...(subnetCidr ? { IPv4SubnetCIDRBlock: subnetCidr, SubnetGatewayIpv4Address: `${gateway}/${subnetCidr.split("/")[1]}` } : {}),
  };
}

/** The metadata endpoint's view of a task with an address; undefined before it has one. */
export function taskMetadataOf(task: TaskView, place: Place, subnetCidr?: string, podUid?: string): TaskMetadata | undefined {
  const spec = task.spec ?? {};
  const status = task.status ?? {};
  const address = status.privateIPv4Address as string | undefined;
  if (!address) return undefined;
  const cluster = task.metadata.namespace ?? "";
  const taskId = task.metadata.name;
  const labels = { "com.amazonaws.ecs.cluster": clusterArn(place, cluster), "com.amazonaws.ecs.task-arn": taskArn(place, cluster, taskId), "com.amazonaws.ecs.task-definition-family": spec.family, "com.amazonaws.ecs.task-definition-version": String(spec.revision) };
  const definitions = (spec.containerDefinitions ?? []) as { name: string; cpu?: number; memory?: number }[];
  const containers: Record<string, Record<string, unknown>> = {};
  const sandboxes: Record<string, { podUid: string; runtimeId: string }> = {};
  for (const container of (spec.containers ?? []) as { name: string; image: string; containerId: string }[]) {
    const id = containerMetadataId(taskId, container.containerId);
    const definition = definitions.find((candidate) => candidate.name === container.name);
    const progress = (status.containers?.[container.name] ?? {}) as { lastStatus?: string; exitCode?: number; runtimeId?: string };
    if (podUid && progress.runtimeId && progress.lastStatus === "RUNNING") sandboxes[id] = { podUid, runtimeId: progress.runtimeId };
    containers[id] = {
      DockerId: id,
      Name: container.name,
      DockerName: container.name,
      Image: container.image,
      Labels: { ...labels, "com.amazonaws.ecs.container-name": container.name },
      DesiredStatus: spec.desiredStatus,
      KnownStatus: progress.lastStatus ?? "PENDING",
      ...(progress.exitCode !== undefined ? { ExitCode: progress.exitCode } : {}),
      Limits: { CPU: definition?.cpu ?? 0, ...(definition?.memory !== undefined ? { Memory: definition.memory } : {}) },
      ...(status.startedAt ? { CreatedAt: status.pullStoppedAt ?? status.startedAt, StartedAt: status.startedAt } : {}),
      Type: "NORMAL",
      ContainerARN: containerArn(place, cluster, taskId, container.containerId),
      Networks: [networkOf(task, subnetCidr)],
    };
  }
  const cpuUnits = parseCpuUnits(String(spec.cpu)) ?? 256;
  const record: Record<string, unknown> = {
    Cluster: clusterArn(place, cluster),
    TaskARN: taskArn(place, cluster, taskId),
    Family: spec.family,
    Revision: String(spec.revision),
    ...(spec.serviceName ? { ServiceName: spec.serviceName } : {}),
    DesiredStatus: spec.desiredStatus,
    KnownStatus: status.lastStatus,
    Limits: { CPU: cpuUnits / 1024, Memory: parseMemoryMiB(String(spec.memory)) ?? 512 },
    ...(status.pullStartedAt ? { PullStartedAt: status.pullStartedAt, PullStoppedAt: status.pullStoppedAt } : {}),
    AvailabilityZone: spec.availabilityZone,
    LaunchType: "FARGATE",
    Containers: Object.values(containers),
  };
  const credentials = spec.taskRoleArn && spec.credentialsId ? { id: String(spec.credentialsId), roleArn: String(spec.taskRoleArn), sessionName: taskId } : undefined;
  return { address, task: record, containers, ...(credentials ? { credentials } : {}), ...(Object.keys(sandboxes).length > 0 ? { sandboxes } : {}) };
}
