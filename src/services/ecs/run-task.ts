// RunTask: 1 to 10 tasks of an ACTIVE task definition on Fargate, in the given subnets and
// security groups (the VPC's default group when none), answered PROVISIONING.

import { type CallContext, type EcsContext, parameterError, requireCluster, type Tag } from "./_context.js";
import { taskOutput } from "./_describe.js";
import { checkLaunch, type NetworkConfiguration, startTasks, type TaskStart } from "./_tasks.js";
import { findTaskDefinition } from "./describe-task-definition.js";

export interface RunTaskInput {
  cluster?: string;
  taskDefinition: string;
  count?: number;
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  overrides?: TaskStart["overrides"];
  startedBy?: string;
  group?: string;
  tags?: Tag[];
  capacityProviderStrategy?: { capacityProvider: string }[];
  clientToken?: string;
}

const countMax = 10;

export function runTask(context: EcsContext, input: RunTaskInput, _call?: CallContext) {
  return context.store.transaction(() => {
    const cluster = requireCluster(context, input.cluster);
    const count = input.count ?? 1;
    // unverified text
    if (count < 1 || count > countMax) throw parameterError(`count must be between 1 and ${countMax}.`);
    const definition = findTaskDefinition(context, input.taskDefinition);
    if (!definition) throw parameterError("TaskDefinition not found.");
    if (definition.status?.status !== "ACTIVE") throw parameterError("TaskDefinition is inactive");
    const fargateProvider = input.capacityProviderStrategy?.some((item) => item.capacityProvider.startsWith("FARGATE"));
    const launchType = input.launchType ?? (fargateProvider ? "FARGATE" : undefined);
    const { network, platformVersion } = checkLaunch(context, definition, { ...input, launchType: launchType ?? "EC2" });
    const tasks = startTasks(context, {
      cluster: cluster.metadata.name,
      definition,
      count,
      network,
      platformVersion,
      group: input.group ?? `family:${definition.spec?.family}`,
      startedBy: input.startedBy,
      tags: input.tags,
      overrides: input.overrides,
    });
    return { tasks: tasks.map((task) => taskOutput(context, task, ["TAGS"])), failures: [] };
  });
}
