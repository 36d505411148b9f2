// What service operations share: the service object (spec: what the user asked; spec.deployments:
// ECS's deployments, newest first, the first PRIMARY; status: ACTIVE, DRAINING or INACTIVE, the
// rollout state and failed tasks per deployment, and the last events), finding one by name or
// ARN, and the Service output shape with counts read from the service's tasks.

import { clusterArn, lastSegmentOf } from "../../domain/ecs/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type EcsContext, ecsError, serviceKind, taskKind, timestampOf } from "./_context.js";
import { serviceArnOf } from "./_describe.js";

export interface Deployment {
  id: string;
  taskDefinition: string;
  platformVersion: string;
  networkConfiguration: unknown;
  createdAt: string;
  updatedAt?: string;
}

export interface DeploymentState {
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  failedTasks: number;
}

export const eventsMax = 100;

/** The service a `service` member names in a cluster; ServiceNotFoundException otherwise. */
export function requireService(context: EcsContext, cluster: string, identifier: string): StoredObject {
  const service = context.store.get({ kind: serviceKind, namespace: cluster, name: lastSegmentOf(identifier) });
  if (!service) throw ecsError("ServiceNotFoundException", "Service not found.", "NotFound");
  return service;
}

/** A deployment id as ECS makes them: `ecs-svc/` and 19 digits. */
export function deploymentId(context: EcsContext): string {
  const digits = BigInt(`0x${context.randomHex()}`).toString().padStart(19, "0").slice(-19);
  return `ecs-svc/${digits.replace(/^0/, "1")}`;
}

function deploymentOutput(context: EcsContext, service: StoredObject, deployment: Deployment, index: number, tasks: StoredObject[]) {
  const mine = tasks.filter((task) => task.spec?.deploymentId === deployment.id && task.spec?.desiredStatus === "RUNNING");
  const state: DeploymentState | undefined = service.status?.deployments?.[deployment.id];
  return {
    id: deployment.id,
    status: index === 0 ? "PRIMARY" : "ACTIVE",
    taskDefinition: deployment.taskDefinition,
    desiredCount: index === 0 ? Number(service.spec?.desiredCount ?? 0) : mine.length,
    pendingCount: mine.filter((task) => task.status?.lastStatus !== "RUNNING").length,
    runningCount: mine.filter((task) => task.status?.lastStatus === "RUNNING").length,
    failedTasks: state?.failedTasks ?? 0,
    createdAt: timestampOf(deployment.createdAt),
    updatedAt: timestampOf(deployment.updatedAt ?? deployment.createdAt),
    launchType: "FARGATE",
    platformVersion: deployment.platformVersion,
    platformFamily: "Linux",
    networkConfiguration: deployment.networkConfiguration,
    rolloutState: state?.rolloutState ?? "IN_PROGRESS",
    rolloutStateReason: state?.rolloutStateReason ?? `ECS deployment ${deployment.id} in progress.`,
  };
}

export function serviceOutput(context: EcsContext, service: StoredObject, include: string[] = []) {
  const spec = service.spec ?? {};
  const cluster = service.metadata.namespace ?? "";
  const tasks = context.store.list(taskKind, { namespace: cluster }).items.filter((task) => task.spec?.serviceName === service.metadata.name);
  const live = tasks.filter((task) => task.spec?.desiredStatus === "RUNNING");
  const deployments = (spec.deployments ?? []) as Deployment[];
  return {
    serviceArn: serviceArnOf(context, service),
    serviceName: service.metadata.name,
    clusterArn: clusterArn(context, cluster),
    loadBalancers: spec.loadBalancers ?? [],
    serviceRegistries: spec.serviceRegistries ?? [],
    status: service.status?.status ?? "ACTIVE",
    desiredCount: Number(spec.desiredCount ?? 0),
    runningCount: live.filter((task) => task.status?.lastStatus === "RUNNING").length,
    pendingCount: live.filter((task) => task.status?.lastStatus !== "RUNNING").length,
    launchType: "FARGATE",
    platformVersion: spec.platformVersion ?? "LATEST",
    platformFamily: "Linux",
    taskDefinition: spec.taskDefinition,
    deploymentConfiguration: spec.deploymentConfiguration,
    deployments: service.status?.status === "INACTIVE" ? [] : deployments.map((deployment, index) => deploymentOutput(context, service, deployment, index, tasks)),
    roleArn: `arn:aws:iam::${context.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: ((service.status?.events ?? []) as { id: string; createdAt: string; message: string }[]).map((event) => ({ ...event, createdAt: timestampOf(event.createdAt) })),
    createdAt: timestampOf(service.metadata.creationTimestamp),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: spec.networkConfiguration,
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
    schedulingStrategy: "REPLICA",
    deploymentController: { type: "ECS" },
    tags: include.includes("TAGS") ? spec.tags ?? [] : [],
    createdBy: `arn:aws:iam::${context.accountId}:user/moor`,
    enableECSManagedTags: Boolean(spec.enableECSManagedTags),
    propagateTags: spec.propagateTags ?? "NONE",
    enableExecuteCommand: false,
    availabilityZoneRebalancing: spec.availabilityZoneRebalancing ?? "DISABLED",
  };
}
