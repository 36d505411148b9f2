// The ECS controller: runs each ECS task as a sandbox pod (DESIGN decision 9) in the namespace
// `aws-ecs` and writes the pod's progress back as the task's lifecycle, from PROVISIONING to
// STOPPED (_task.ts); keeps each service's tasks as its deployments ask (_service.ts);
// publishes what the task metadata endpoint serves of each task with an address.
// TargetHealthWatcher (_health.ts), a component of its own, stops tasks that fail their load
// balancer's health checks, for the service to replace.
//
// Lifecycle: `createEcsController({ store, clock, region, accountId, ecs })` gives a
// ControllerRuntime component; `start()`, `stop()`, and `idle()`/`settled()` for tests.

import type { Clock } from "../../clock/mod.js";
import { type TaskMetadata, taskAnnotation, taskMetadataOf, taskNamespace, taskPodName } from "../../domain/ecs/mod.js";
import { keyOf, type Store, type StoredObject } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { reconcileTask } from "./_task.js";
import type { TargetGroupPort } from "./_targets.js";

export type { TargetGroupPort } from "./_targets.js";
export { TargetHealthWatcher, type TargetHealthWatcherOptions } from "./_health.js";
import { reconcileService } from "./_service.js";
import type { EcsService } from "../../services/ecs/mod.js";

export interface EcsControllerOptions {
  store: Store;
  clock: Clock;
  region: string;
  accountId: string;
  /** Receives what the task metadata endpoint should know, whenever it changes. */
  publishTaskMetadata?: (tasks: TaskMetadata[]) => void;
  /** The ELBv2 target groups services' tasks join (the ELBv2 service's in-process calls). */
  targetGroups?: TargetGroupPort;
  /** The ECS service, through which a service's tasks start and stop. */
  ecs: EcsService;
}

const taskKind = "EcsTask";
const serviceKind = "EcsService";

/** The task key a pod (by its annotation) or an event about a pod concerns. */
function taskKeyOfPod(pod: StoredObject | undefined): string[] {
  const owner = pod?.metadata.annotations?.[taskAnnotation];
  if (!owner) return [];
  const slash = owner.indexOf("/");
  return [objectKey({ kind: taskKind, namespace: owner.slice(0, slash), name: owner.slice(slash + 1) })];
}

/** The metadata of every task with an address that has not begun deprovisioning. */
function taskMetadata(options: EcsControllerOptions): TaskMetadata[] {
  const place = { region: options.region, accountId: options.accountId };
  return options.store
    .list(taskKind)
    .items.filter((task) => !["DEPROVISIONING", "STOPPED"].includes(String(task.status?.lastStatus)))
    .flatMap((task) => {
      const cidr = options.store.get({ kind: "Subnet", name: String(task.spec?.subnetId ?? "") })?.spec?.cidrBlock as string | undefined;
      const podUid = options.store.get({ kind: "Pod", namespace: taskNamespace, name: taskPodName(task.metadata.name) })?.metadata.uid;
      return taskMetadataOf(task, place, cidr, podUid) ?? [];
    });
}

/** Passes the task set on only when it differs from the last one. */
function metadataPublisher(options: EcsControllerOptions): () => void {
  let last = "";
  return () => {
    if (!options.publishTaskMetadata) return;
    const tasks = taskMetadata(options);
    const text = JSON.stringify(tasks);
    if (text === last) return;
    last = text;
    options.publishTaskMetadata(tasks);
  };
}

export function createEcsController(options: EcsControllerOptions): ControllerRuntime {
  const { store } = options;
  const publish = metadataPublisher(options);
  const tasks: Controller = {
    name: "ecs-tasks",
    kinds: [taskKind, "Pod", "Event"],
    keysFor: (event) => {
      const object = event.object;
      if (object.kind === taskKind) return [objectKey(keyOf(object))];
      if (object.metadata.namespace !== taskNamespace) return [];
      if (object.kind === "Pod") return taskKeyOfPod(object);
      const involved = (object as { involvedObject?: { kind?: string; name?: string } }).involvedObject;
      if (involved?.kind !== "Pod" || !involved.name) return [];
      return taskKeyOfPod(store.get({ kind: "Pod", namespace: taskNamespace, name: involved.name }));
    },
    allKeys: () => store.list(taskKind).items.map((task) => objectKey(keyOf(task))),
    reconcile: (key) => {
      const { namespace, name } = splitKey(key);
      const next = reconcileTask(options, namespace, name);
      publish();
      return next;
    },
  };
  const services: Controller = {
    name: "ecs-services",
    kinds: [serviceKind, taskKind],
    keysFor: (event) => {
      const object = event.object;
      if (object.kind === serviceKind) return [objectKey(keyOf(object))];
      const service = object.spec?.serviceName;
      return service ? [objectKey({ kind: serviceKind, namespace: object.metadata.namespace, name: service })] : [];
    },
    allKeys: () => store.list(serviceKind).items.map((service) => objectKey(keyOf(service))),
    reconcile: (key) => {
      const { namespace, name } = splitKey(key);
      return reconcileService(options, namespace, name);
    },
  };
  return new ControllerRuntime({ name: "ecs", store, clock: options.clock, controllers: [tasks, services] });
}
