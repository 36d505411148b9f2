// The ECS service on Fargate: clusters, task definitions (revisions per family, Fargate's
// checks), tasks (RunTask writes an EcsTask object; controllers/ecs runs it as a sandbox pod
// and writes its lifecycle back), services, and tags. Operations take the model's member names
// and a CallContext and return the output shape's members; errors are MoorErrors whose `code`
// is ECS's exception name and whose message is ECS's text.
//
// Lifecycle: `createEcsService(...)`; stateless beyond the store.

import { randomBytes, randomUUID } from "node:crypto";
import type { TargetGroupView } from "./_load-balancers.js";
import type { Store, StoredObject } from "../../store/mod.js";
import type { CallContext, EcsContext } from "./_context.js";
import { createCluster } from "./create-cluster.js";
import { deleteCluster } from "./delete-cluster.js";
import { deregisterTaskDefinition } from "./deregister-task-definition.js";
import { describeClusters, listClusters } from "./describe-clusters.js";
import { describeTaskDefinition } from "./describe-task-definition.js";
import { listTagsForResource } from "./list-tags-for-resource.js";
import { listTaskDefinitionFamilies, listTaskDefinitions } from "./list-task-definitions.js";
import { registerTaskDefinition } from "./register-task-definition.js";
import { tagResource } from "./tag-resource.js";
import { untagResource } from "./untag-resource.js";
import { runTask } from "./run-task.js";
import { describeTasks, listTasks } from "./describe-tasks.js";
import { requestStop, stopTask } from "./stop-task.js";
import { createService } from "./create-service.js";
import { updateService } from "./update-service.js";
import { deleteService } from "./delete-service.js";
import { describeServices, listServices } from "./describe-services.js";
import { startTasks, type TaskStart } from "./_tasks.js";
import { deploymentId } from "./_services.js";

export type { TaskStart } from "./_tasks.js";
export type { Deployment, DeploymentState } from "./_services.js";
export { eventsMax } from "./_services.js";
export type { ServiceLoadBalancer, TargetGroupView } from "./_load-balancers.js";
export { type CallContext, clusterKind, ecsApiVersion, serviceKind, taskDefinitionKind, taskKind } from "./_context.js";

const operations = {
  CreateCluster: createCluster,
  DescribeClusters: describeClusters,
  ListClusters: listClusters,
  DeleteCluster: deleteCluster,
  RegisterTaskDefinition: registerTaskDefinition,
  DescribeTaskDefinition: describeTaskDefinition,
  ListTaskDefinitions: listTaskDefinitions,
  ListTaskDefinitionFamilies: listTaskDefinitionFamilies,
  DeregisterTaskDefinition: deregisterTaskDefinition,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  RunTask: runTask,
  DescribeTasks: describeTasks,
  ListTasks: listTasks,
  StopTask: stopTask,
  CreateService: createService,
  UpdateService: updateService,
  DeleteService: deleteService,
  DescribeServices: describeServices,
  ListServices: listServices,
};

type Operations = typeof operations;

/** One method per ECS action, by the model's operation name. */
export type EcsOperations = {
  [Name in keyof Operations]: (input: Parameters<Operations[Name]>[1], call?: CallContext) => ReturnType<Operations[Name]>;
};

export interface EcsService {
  /** botocore's service name, by which the AWS front end finds the model. */
  readonly name: "ecs";
  readonly operations: EcsOperations;
  /** Starts a service's tasks (controllers/ecs), with RunTask's rules for what a task is. */
  startTasks(start: TaskStart): StoredObject[];
  /** Asks a task to stop with a stop code and reason (once). */
  stopTask(task: StoredObject, stopCode: string, reason: string): StoredObject;
  newDeploymentId(): string;
  newEventId(): string;
}

export interface EcsServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  now?: () => Date;
  randomHex?: () => string;
  randomUuid?: () => string;
  /** An ELBv2 target group by ARN (the ELBv2 service's `targetGroup`), for services' loadBalancers. */
  targetGroup?: (arn: string) => TargetGroupView | undefined;
}

export function createEcsService(options: EcsServiceOptions): EcsService {
  const context: EcsContext = {
    store: options.store,
    region: options.region,
    accountId: options.accountId,
    now: options.now ?? (() => new Date()),
    randomHex: options.randomHex ?? (() => randomBytes(16).toString("hex")),
    randomUuid: options.randomUuid ?? randomUUID,
    ...(options.targetGroup ? { targetGroup: options.targetGroup } : {}),
  };
  const bound = Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [name, (input: unknown, call?: CallContext) => (operation as (context: EcsContext, input: unknown, call?: CallContext) => unknown)(context, input ?? {}, call)]),
  ) as unknown as EcsOperations;
  return {
    name: "ecs",
    operations: bound,
    startTasks: (start) => startTasks(context, start),
    stopTask: (task, stopCode, reason) => requestStop(context, task, stopCode, reason),
    newDeploymentId: () => deploymentId(context),
    newEventId: () => context.randomUuid(),
  };
}
