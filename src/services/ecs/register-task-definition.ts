// RegisterTaskDefinition: ECS's checks (domain/ecs, in ECS's order and words), then the next
// revision of the family (revisions start at 1 and are never reused, deregistered or not),
// stored with the defaults ECS fills in.

import {
  compatibilitiesOf,
  type ContainerDefinition,
  parseCpuUnits,
  parseMemoryMiB,
  taskDefinitionArn,
  type TaskDefinitionInput,
  taskDefinitionProblem,
} from "../../domain/ecs/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type CallContext, type EcsContext, ecsApiVersion, ecsError, type Tag, taskDefinitionKind } from "./_context.js";
import { taskDefinitionOutput } from "./_describe.js";

export interface RegisterTaskDefinitionInput extends TaskDefinitionInput {
  tags?: Tag[];
}

/** Every revision of a family, oldest first. */
export function revisionsOf(context: EcsContext, family: string): StoredObject[] {
  return context.store
    .list(taskDefinitionKind)
    .items.filter((definition) => definition.spec?.family === family)
    .sort((a, b) => Number(a.spec?.revision) - Number(b.spec?.revision));
}

/** A container as ECS answers it: cpu 0, essential, host ports equal to container ports under awsvpc, empty lists. */
function withDefaults(container: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  const portMappings = (container.portMappings ?? []).map((mapping) => ({
    ...mapping,
    ...(networkMode === "awsvpc" || mapping.hostPort === undefined ? { hostPort: networkMode === "awsvpc" ? mapping.containerPort : 0 } : {}),
    protocol: mapping.protocol ?? "tcp",
  }));
  return {
    ...container,
    cpu: container.cpu ?? 0,
    essential: container.essential ?? true,
    portMappings,
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: (container.volumesFrom as unknown[] | undefined) ?? [],
    systemControls: (container.systemControls as unknown[] | undefined) ?? [],
  };
}

function requiresAttributes(input: TaskDefinitionInput): { name: string }[] {
  const names: string[] = [];
  if (input.taskRoleArn) names.push("com.amazonaws.ecs.capability.task-iam-role");
  const efs = (input.volumes ?? []).filter((volume) => volume.efsVolumeConfiguration);
  if (efs.some((volume) => volume.efsVolumeConfiguration?.authorizationConfig)) names.push("ecs.capability.efsAuth");
  if (efs.length > 0) names.push("ecs.capability.efs");
  if (input.containerDefinitions.some((container) => container.logConfiguration?.logDriver === "awslogs")) {
    names.push("ecs.capability.execution-role-awslogs", "com.amazonaws.ecs.capability.logging-driver.awslogs");
  }
  if (input.networkMode === "awsvpc") names.push("ecs.capability.task-eni");
  return names.map((name) => ({ name }));
}

export function registerTaskDefinition(context: EcsContext, input: RegisterTaskDefinitionInput, call?: CallContext) {
  const problem = taskDefinitionProblem(input);
  if (problem) throw ecsError(problem.code, problem.message);
  const { tags = [], ...definition } = input;
  const cpuUnits = input.cpu === undefined ? undefined : parseCpuUnits(input.cpu);
  const memoryMiB = input.memory === undefined ? undefined : parseMemoryMiB(input.memory);
  return context.store.transaction(() => {
    const revisions = revisionsOf(context, input.family);
    const revision = Number(revisions.at(-1)?.spec?.revision ?? 0) + 1;
    const stored = context.store.create({
      apiVersion: ecsApiVersion,
      kind: taskDefinitionKind,
      metadata: { name: `${input.family}:${revision}` },
      spec: {
        ...definition,
        taskDefinitionArn: taskDefinitionArn(context, input.family, revision),
        revision,
        containerDefinitions: input.containerDefinitions.map((container) => withDefaults(container, input.networkMode)),
        volumes: input.volumes ?? [],
        placementConstraints: (input.placementConstraints as unknown[] | undefined) ?? [],
        compatibilities: compatibilitiesOf(input),
        requiresAttributes: requiresAttributes(input),
        requiresCompatibilities: input.requiresCompatibilities ?? [],
        ...(cpuUnits !== undefined ? { cpu: String(cpuUnits) } : {}),
        ...(memoryMiB !== undefined ? { memory: String(memoryMiB) } : {}),
        registeredAt: context.now().toISOString(),
        registeredBy: `arn:aws:iam::${call?.accountId ?? context.accountId}:user/moor`,
        tags,
      },
      status: { status: "ACTIVE" },
    });
    return { taskDefinition: taskDefinitionOutput(stored), tags };
  });
}
