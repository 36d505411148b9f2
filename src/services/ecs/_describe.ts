// Stored ECS objects as the model's output shapes: Cluster (with its live task and service
// counts), TaskDefinition, Task and Service. Timestamps are kept as ISO strings and leave as
// Dates, which the json protocol writes as epoch seconds.

import { clusterArn, containerArn, type ContainerDefinition, essentialWithHealthChecks, serviceArn, taskArn, taskHealthOf } from "../../domain/ecs/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type EcsContext, serviceKind, taskKind, timestampOf } from "./_context.js";

export function clusterOutput(context: EcsContext, cluster: StoredObject, include: string[]) {
  const namespace = cluster.metadata.name;
  const tasks = context.store.list(taskKind, { namespace }).items;
  const services = context.store.list(serviceKind, { namespace }).items;
  const spec = cluster.spec ?? {};
  return {
    clusterArn: clusterArn(context, namespace),
    clusterName: namespace,
    status: "ACTIVE",
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((task) => task.status?.lastStatus === "RUNNING").length,
    pendingTasksCount: tasks.filter((task) => ["PROVISIONING", "PENDING", "ACTIVATING"].includes(task.status?.lastStatus ?? "PROVISIONING")).length,
    activeServicesCount: services.filter((service) => service.status?.status === "ACTIVE").length,
    statistics: [],
    tags: include.includes("TAGS") ? spec.tags ?? [] : [],
    settings: spec.settings ?? [],
    capacityProviders: spec.capacityProviders ?? [],
    defaultCapacityProviderStrategy: spec.defaultCapacityProviderStrategy ?? [],
    ...(spec.configuration ? { configuration: spec.configuration } : {}),
  };
}

export function taskDefinitionOutput(definition: StoredObject) {
  const { tags: _tags, ...spec } = definition.spec ?? {};
  return {
    ...spec,
    status: definition.status?.status ?? "ACTIVE",
    registeredAt: timestampOf(spec.registeredAt),
    deregisteredAt: timestampOf(definition.status?.deregisteredAt),
  };
}

interface ContainerSpec {
  name: string;
  image: string;
  containerId: string;
  cpu?: number;
  memory?: number;
}

interface ContainerStatus {
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
  runtimeId?: string;
  healthStatus?: string;
}

/** The task's network interface as `attachments` shows it: PRECREATED, then ATTACHED with its address, then DELETED. */
function attachmentOf(task: StoredObject) {
  const spec = task.spec ?? {};
  const status = task.status ?? {};
  const details = [{ name: "subnetId", value: spec.subnetId }];
  if (status.privateIPv4Address) {
    details.push(
      { name: "networkInterfaceId", value: status.networkInterfaceId },
      { name: "macAddress", value: status.macAddress },
      { name: "privateDnsName", value: status.privateDnsName },
      { name: "privateIPv4Address", value: status.privateIPv4Address },
    );
  }
  return { id: spec.attachmentId, type: "ElasticNetworkInterface", status: status.attachmentStatus ?? "PRECREATED", details };
}

export function taskOutput(context: EcsContext, task: StoredObject, include: string[] = []) {
  const spec = task.spec ?? {};
  const status = task.status ?? {};
  const cluster = task.metadata.namespace ?? "";
  const id = task.metadata.name;
  const arn = taskArn(context, cluster, id);
  const containerStatuses: Record<string, ContainerStatus> = status.containers ?? {};
  const address = status.privateIPv4Address as string | undefined;
  const containers = (spec.containers as ContainerSpec[]).map((container) => {
    const seen = containerStatuses[container.name] ?? {};
    return {
      containerArn: containerArn(context, cluster, id, container.containerId),
      taskArn: arn,
      name: container.name,
      image: container.image,
      lastStatus: seen.lastStatus ?? "PENDING",
      exitCode: seen.exitCode,
      reason: seen.reason,
      runtimeId: seen.runtimeId,
      healthStatus: seen.healthStatus ?? "UNKNOWN",
      networkBindings: [],
      networkInterfaces: address ? [{ attachmentId: spec.attachmentId, privateIpv4Address: address }] : [],
      cpu: String(container.cpu ?? 0),
      ...(container.memory !== undefined ? { memory: String(container.memory) } : {}),
    };
  });
  const lastStatus = status.lastStatus ?? "PROVISIONING";
  return {
    taskArn: arn,
    clusterArn: clusterArn(context, cluster),
    taskDefinitionArn: spec.taskDefinitionArn,
    lastStatus,
    desiredStatus: spec.desiredStatus ?? "RUNNING",
    launchType: "FARGATE",
    capacityProviderName: "FARGATE",
    platformVersion: spec.platformVersion,
    platformFamily: "Linux",
    cpu: spec.cpu,
    memory: spec.memory,
    availabilityZone: spec.availabilityZone,
    connectivity: status.connectivityAt ? "CONNECTED" : undefined,
    connectivityAt: timestampOf(status.connectivityAt),
    createdAt: timestampOf(task.metadata.creationTimestamp),
    pullStartedAt: timestampOf(status.pullStartedAt),
    pullStoppedAt: timestampOf(status.pullStoppedAt),
    startedAt: timestampOf(status.startedAt),
    stoppingAt: timestampOf(status.stoppingAt ?? spec.stoppingAt),
    executionStoppedAt: timestampOf(status.executionStoppedAt),
    stoppedAt: timestampOf(status.stoppedAt),
    stopCode: status.stopCode ?? spec.stopCode,
    stoppedReason: status.stoppedReason ?? spec.stoppedReason,
    group: spec.group,
    startedBy: spec.startedBy,
    version: Number(status.version ?? 1),
    ephemeralStorage: { sizeInGiB: 20 },
    attachments: [attachmentOf(task)],
    attributes: [{ name: "ecs.cpu-architecture", value: "x86_64" }],
    containers,
    overrides: spec.overrides ?? { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    tags: include.includes("TAGS") ? spec.tags ?? [] : [],
    healthStatus: taskHealthOf(containerStatuses, essentialWithHealthChecks((spec.containerDefinitions ?? []) as ContainerDefinition[])),
    enableExecuteCommand: false,
  };
}

export function serviceArnOf(context: EcsContext, service: StoredObject): string {
  return serviceArn(context, service.metadata.namespace ?? "", service.metadata.name);
}
