// DescribeTaskDefinition: `family` (its latest ACTIVE revision), `family:revision` or an ARN
// (that revision, INACTIVE too); with include TAGS, its tags.

import { taskDefinitionReference } from "../../domain/ecs/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type CallContext, clientError, type EcsContext, taskDefinitionKind } from "./_context.js";
import { taskDefinitionOutput } from "./_describe.js";
import { revisionsOf } from "./register-task-definition.js";

/** The revision an identifier names, or undefined. */
export function findTaskDefinition(context: EcsContext, identifier: string): StoredObject | undefined {
  const reference = taskDefinitionReference(identifier);
  if (!reference) return undefined;
  if (reference.revision !== undefined) return context.store.get({ kind: taskDefinitionKind, name: `${reference.family}:${reference.revision}` });
  return revisionsOf(context, reference.family)
    .filter((definition) => definition.status?.status === "ACTIVE")
    .at(-1);
}

export function describeTaskDefinition(context: EcsContext, input: { taskDefinition: string; include?: string[] }, _call?: CallContext) {
  const definition = findTaskDefinition(context, input.taskDefinition);
  if (!definition) throw clientError("Unable to describe task definition.");
  return {
    taskDefinition: taskDefinitionOutput(definition),
    ...(input.include?.includes("TAGS") ? { tags: definition.spec?.tags ?? [] } : {}),
  };
}
