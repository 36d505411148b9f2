// ECS rules with no I/O: the Fargate task-size table and how ECS reads task-level sizes, a task
// definition's checks in ECS's order and words, ARNs and the identifiers operations accept, and
// a task's lifecycle as read from its sandbox pod.

export * from "./_task-size.js";
export * from "./_task-definition.js";
export * from "./_arns.js";
export * from "./_pod.js";
export * from "./_lifecycle.js";
export * from "./_metadata.js";
