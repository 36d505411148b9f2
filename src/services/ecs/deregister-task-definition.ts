// DeregisterTaskDefinition: one revision (a family alone is refused) becomes INACTIVE; running
// tasks and services that use it go on, and it stays describable by its revision.

import { taskDefinitionReference } from "../../domain/ecs/mod.js";
import { type CallContext, clientError, type EcsContext, taskDefinitionKind } from "./_context.js";
import { taskDefinitionOutput } from "./_describe.js";

export function deregisterTaskDefinition(context: EcsContext, input: { taskDefinition: string }, _call?: CallContext) {
  const reference = taskDefinitionReference(input.taskDefinition);
  // unverified texts
  if (!reference || reference.revision === undefined) throw clientError("Invalid revision number. Number: " + (input.taskDefinition.split(":")[1] ?? ""));
  return context.store.transaction(() => {
    const definition = context.store.get({ kind: taskDefinitionKind, name: `${reference.family}:${reference.revision}` });
    if (!definition) throw clientError("The specified task definition does not exist.");
    const updated =
      definition.status?.status === "INACTIVE"
        ? definition
        : context.store.update({ ...definition, status: { status: "INACTIVE", deregisteredAt: context.now().toISOString() } });
    return { taskDefinition: taskDefinitionOutput(updated) };
  });
}
