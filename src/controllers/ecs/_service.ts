// One service's reconcile, as ECS's service scheduler: keep the PRIMARY deployment at the
// desired count, replace older deployments' tasks within minimumHealthyPercent and
// maximumPercent (old tasks serve until new ones run), stop launching or roll back when the
// deployment circuit breaker trips, drop deployments with no tasks left, and drain a deleted
// service to INACTIVE. Each step is recorded as ECS words its service events.

import { type ContainerDefinition, essentialWithHealthChecks, taskHealthOf } from "../../domain/ecs/mod.js";
import type { Deployment, DeploymentState, EcsService } from "../../services/ecs/mod.js";
import { eventsMax } from "../../services/ecs/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import type { Clock } from "../../clock/mod.js";

export interface ServiceContext {
  store: Store;
  clock: Clock;
  ecs: EcsService;
}

const recheckMs = 1_000;
const launchBatchMax = 10;

interface Plan {
  service: StoredObject;
  primary: Deployment;
  desired: number;
  live: StoredObject[];
  primaryLive: StoredObject[];
  oldLive: StoredObject[];
  state: DeploymentState;
}

const isRunning = (task: StoredObject) => task.status?.lastStatus === "RUNNING";
const shortId = (task: StoredObject) => `(task ${task.metadata.name})`;

export function reconcileService(context: ServiceContext, cluster: string, name: string): number | void {
  let service = context.store.get({ kind: "EcsService", namespace: cluster, name });
  if (!service || service.status?.status === "INACTIVE") return;
  const listTasks = () => context.store.list("EcsTask", { namespace: cluster }).items.filter((task) => task.spec?.serviceName === name);
  let tasks = listTasks();
  const health = service.status?.status !== "DRAINING" ? replaceUnhealthy(context, service, tasks) : { stopped: false };
  if (health.stopped) {
    service = context.store.get({ kind: "EcsService", namespace: cluster, name })!;
    tasks = listTasks();
  }
  const live = tasks.filter((task) => task.spec?.desiredStatus === "RUNNING");
  if (service.status?.status === "DRAINING") return drain(context, service, tasks, live);
  const deployments = (service.spec?.deployments ?? []) as Deployment[];
  const primary = deployments[0]!;
  const failedTasks = tasks.filter((task) => task.spec?.deploymentId === primary.id && task.status?.lastStatus === "STOPPED" && !task.status?.startedAt && task.status?.stopCode !== "ServiceSchedulerInitiated").length;
  const previous: DeploymentState | undefined = service.status?.deployments?.[primary.id];
  const state: DeploymentState = { rolloutState: previous?.rolloutState ?? "IN_PROGRESS", rolloutStateReason: previous?.rolloutStateReason ?? `ECS deployment ${primary.id} in progress.`, failedTasks };
  const primaryLive = live.filter((task) => task.spec?.deploymentId === primary.id);
  const plan: Plan = { service, primary, desired: Number(service.spec?.desiredCount ?? 0), live, primaryLive, oldLive: live.filter((task) => !primaryLive.includes(task)), state };
  if (tripBreaker(context, plan)) return recheckMs;
  const events = [...launch(context, plan), ...stopSurplus(context, plan)];
  const next = settle(context, plan, events);
  return health.recheckMs === undefined ? next : Math.min(next ?? Infinity, health.recheckMs);
}

/** The service's status with `messages` added as ECS words its events, newest first. */
export function addEvents(context: ServiceContext, service: StoredObject, messages: string[]): StoredObject["status"] {
  const now = context.clock.now().toISOString();
  const added = messages.map((message) => ({ id: context.ecs.newEventId(), createdAt: now, message: `(service ${service.metadata.name}) ${message}` }));
  return { ...service.status, events: [...added.reverse(), ...(service.status?.events ?? [])].slice(0, eventsMax) };
}

/** How much of the service's healthCheckGracePeriodSeconds is left for a task since it started (0 or less: over). */
export function graceLeftMs(service: StoredObject, task: StoredObject, nowMs: number): number {
  return Number(service.spec?.healthCheckGracePeriodSeconds ?? 0) * 1000 - (nowMs - Date.parse(String(task.status?.startedAt ?? "")));
}

/** Stops tasks for their health with ECS's reason, and records the service's events (`why` first). */
export function stopForHealth(context: ServiceContext, service: StoredObject, tasks: StoredObject[], reason: string, why: string[] = []): void {
  for (const task of tasks) context.ecs.stopTask(task, "ServiceSchedulerInitiated", reason);
  const fresh = context.store.get({ kind: "EcsService", namespace: service.metadata.namespace ?? "", name: service.metadata.name });
  if (fresh) context.store.update({ ...fresh, status: addEvents(context, fresh, [...why, `has stopped ${tasks.length} running tasks: ${tasks.map(shortId).join(" ")}.`]) });
}

/**
 * Stops the service's RUNNING tasks whose health is UNHEALTHY, as ECS's scheduler does, once the
 * service's grace period since the task started is over (answering when to look again); the
 * launch that follows replaces them.
 */
function replaceUnhealthy(context: ServiceContext, service: StoredObject, tasks: StoredObject[]): { stopped: boolean; recheckMs?: number } {
  const nowMs = context.clock.now().getTime();
  let recheckMs: number | undefined;
  const unhealthy = tasks.filter((task) => {
    if (task.spec?.desiredStatus !== "RUNNING" || task.status?.lastStatus !== "RUNNING") return false;
    const left = graceLeftMs(service, task, nowMs);
    if (left > 0) {
      recheckMs = Math.min(recheckMs ?? Infinity, left);
      return false;
    }
    return taskHealthOf(task.status?.containers ?? {}, essentialWithHealthChecks((task.spec?.containerDefinitions ?? []) as ContainerDefinition[])) === "UNHEALTHY";
  });
  if (unhealthy.length > 0) stopForHealth(context, service, unhealthy, "Task failed container health checks");
  return { stopped: unhealthy.length > 0, ...(recheckMs !== undefined ? { recheckMs } : {}) };
}

function drain(context: ServiceContext, service: StoredObject, tasks: StoredObject[], live: StoredObject[]): number | void {
  for (const task of live) context.ecs.stopTask(task, "ServiceSchedulerInitiated", `Service ${service.metadata.name} was deleted`);
  if (tasks.some((task) => task.status?.lastStatus !== "STOPPED")) return recheckMs;
  context.store.update({ ...service, spec: { ...service.spec, deployments: [] }, status: { ...addEvents(context, service, ["has been deleted."]), status: "INACTIVE" } });
}

/** The circuit breaker: ECS's threshold is half the desired count, at least 3 and at most 200. */
function tripBreaker(context: ServiceContext, plan: Plan): boolean {
  const breaker = plan.service.spec?.deploymentConfiguration?.deploymentCircuitBreaker;
  const threshold = Math.min(200, Math.max(3, Math.ceil(plan.desired / 2)));
  if (!breaker?.enable || plan.state.rolloutState !== "IN_PROGRESS" || plan.state.failedTasks < threshold) return false;
  const { service, primary } = plan;
  const deployments = (service.spec?.deployments ?? []) as Deployment[];
  const failed: DeploymentState = { ...plan.state, rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." };
  const messages = [`deployment ${primary.id} deployment failed: tasks failed to start.`];
  const states = { ...service.status?.deployments, [primary.id]: failed };
  let spec = service.spec;
  const previous = deployments[1];
  if (breaker.rollback && previous) {
    const rollback: Deployment = { ...previous, id: context.ecs.newDeploymentId(), createdAt: context.clock.now().toISOString() };
    spec = { ...spec, taskDefinition: previous.taskDefinition, deployments: [rollback, ...deployments] };
    messages.push(`rolling back to deployment ${rollback.id}.`);
  }
  context.store.update({ ...service, spec, status: { ...addEvents(context, service, messages), deployments: states } });
  return true;
}

/** Starts PRIMARY tasks up to the desired count, within maximumPercent of it in all. */
function launch(context: ServiceContext, plan: Plan): string[] {
  const { service, primary, desired, live } = plan;
  if (plan.state.rolloutState === "FAILED") return [];
  const maximum = Math.floor((desired * Number(service.spec?.deploymentConfiguration?.maximumPercent ?? 200)) / 100);
  const count = Math.min(desired - plan.primaryLive.length, Math.max(0, maximum - live.length), launchBatchMax);
  if (count <= 0) return [];
  const definition = context.store.get({ kind: "EcsTaskDefinition", name: primary.taskDefinition.slice(primary.taskDefinition.indexOf("/") + 1) });
  if (!definition) return [];
  const network = (primary.networkConfiguration as { awsvpcConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: string } }).awsvpcConfiguration;
  const started = context.ecs.startTasks({
    cluster: service.metadata.namespace ?? "",
    definition,
    count,
    network,
    platformVersion: primary.platformVersion,
    group: `service:${service.metadata.name}`,
    startedBy: primary.id,
    serviceName: service.metadata.name,
    deploymentId: primary.id,
    tags: service.spec?.propagateTags === "SERVICE" ? service.spec?.tags : [],
    loadBalancers: service.spec?.loadBalancers ?? [],
  });
  return [`has started ${started.length} tasks: ${started.map(shortId).join(" ")}.`];
}

/** Stops old deployments' tasks (not-yet-running ones first) while minimumHealthyPercent stays met, and PRIMARY tasks above the desired count. */
function stopSurplus(context: ServiceContext, plan: Plan): string[] {
  const { service, desired } = plan;
  const minimum = Math.ceil((desired * Number(service.spec?.deploymentConfiguration?.minimumHealthyPercent ?? 100)) / 100);
  let spare = plan.live.filter(isRunning).length - minimum;
  const stopped: StoredObject[] = [];
  const byReadiness = (tasks: StoredObject[]) => [...tasks].sort((a, b) => Number(isRunning(a)) - Number(isRunning(b)));
  for (const task of byReadiness(plan.oldLive)) {
    if (isRunning(task)) {
      if (spare <= 0) continue;
      spare--;
    }
    stopped.push(task);
  }
  stopped.push(...byReadiness(plan.primaryLive).slice(0, Math.max(0, plan.primaryLive.length - desired)));
  const reason = `Scaling activity initiated by (deployment ${plan.primary.id})`;
  for (const task of stopped) context.ecs.stopTask(task, "ServiceSchedulerInitiated", reason);
  const running = stopped.filter(isRunning);
  return running.length > 0 ? [`has stopped ${running.length} running tasks: ${running.map(shortId).join(" ")}.`] : [];
}

/** Drops deployments with no task left, marks a finished rollout COMPLETED, and records events. */
function settle(context: ServiceContext, plan: Plan, messages: string[]): number | void {
  const service = context.store.get({ kind: "EcsService", namespace: plan.service.metadata.namespace ?? "", name: plan.service.metadata.name })!;
  const tasks = context.store.list("EcsTask", { namespace: service.metadata.namespace ?? "" }).items.filter((task) => task.spec?.serviceName === service.metadata.name && task.spec?.desiredStatus === "RUNNING");
  const deployments = ((service.spec?.deployments ?? []) as Deployment[]).filter((deployment, index) => index === 0 || tasks.some((task) => task.spec?.deploymentId === deployment.id));
  const steady = deployments.length === 1 && tasks.length === plan.desired && tasks.every(isRunning);
  const state = { ...plan.state };
  if (steady && state.rolloutState === "IN_PROGRESS") {
    state.rolloutState = "COMPLETED";
    state.rolloutStateReason = `ECS deployment ${plan.primary.id} completed.`;
    messages.push(`deployment ${plan.primary.id} deployment completed.`);
  }
  if (steady && !service.status?.steady) messages.push("has reached a steady state.");
  const kept = Object.fromEntries(Object.entries(service.status?.deployments ?? {}).filter(([id]) => deployments.some((deployment) => deployment.id === id)));
  const status = { ...addEvents(context, service, messages), deployments: { ...kept, [plan.primary.id]: state }, steady };
  const unchanged =
    messages.length === 0 &&
    steady === Boolean(service.status?.steady) &&
    deployments.length === (service.spec?.deployments ?? []).length &&
    JSON.stringify(service.status?.deployments) === JSON.stringify(status.deployments);
  if (!unchanged) context.store.update({ ...service, spec: { ...service.spec, deployments }, status });
  return steady ? undefined : recheckMs;
}
