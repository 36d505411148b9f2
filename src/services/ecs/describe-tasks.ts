// DescribeTasks and ListTasks. Tasks ECS does not know are failures with reason MISSING, not
// errors (the tasks-running waiter fails on them); a missing cluster is an error.

import { clusterOfArn, lastSegmentOf, taskArn } from "../../domain/ecs/mod.js";
import { type CallContext, type EcsContext, page, requireCluster, taskKind } from "./_context.js";
import { taskOutput } from "./_describe.js";

export function describeTasks(context: EcsContext, input: { cluster?: string; tasks: string[]; include?: string[] }, _call?: CallContext) {
  const cluster = requireCluster(context, input.cluster).metadata.name;
  const tasks = [];
  const failures = [];
  for (const identifier of input.tasks) {
    const id = lastSegmentOf(identifier);
    const inCluster = clusterOfArn(identifier) ?? cluster;
    const task = inCluster === cluster ? context.store.get({ kind: taskKind, namespace: cluster, name: id }) : undefined;
    if (task) tasks.push(taskOutput(context, task, input.include ?? []));
    else failures.push({ arn: identifier.startsWith("arn:") ? identifier : taskArn(context, cluster, id), reason: "MISSING" });
  }
  return { tasks, failures };
}

export interface ListTasksInput {
  cluster?: string;
  family?: string;
  serviceName?: string;
  startedBy?: string;
  desiredStatus?: "RUNNING" | "PENDING" | "STOPPED";
  launchType?: string;
  nextToken?: string;
  maxResults?: number;
}

export function listTasks(context: EcsContext, input: ListTasksInput, _call?: CallContext) {
  const cluster = requireCluster(context, input.cluster).metadata.name;
  const desired = input.desiredStatus === "STOPPED" ? "STOPPED" : "RUNNING";
  const service = input.serviceName === undefined ? undefined : lastSegmentOf(input.serviceName);
  const arns = context.store
    .list(taskKind, { namespace: cluster })
    .items.filter((task) => (task.spec?.desiredStatus ?? "RUNNING") === desired)
    .filter((task) => input.family === undefined || task.spec?.family === input.family)
    .filter((task) => service === undefined || task.spec?.serviceName === service)
    .filter((task) => input.startedBy === undefined || task.spec?.startedBy === input.startedBy)
    .filter((task) => input.launchType === undefined || input.launchType === "FARGATE")
    .map((task) => taskArn(context, cluster, task.metadata.name));
  const { items, nextToken } = page(arns, input);
  return { taskArns: items, nextToken };
}
