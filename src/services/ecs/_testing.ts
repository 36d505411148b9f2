// What the ECS service's unit tests share: a service over the in-memory store with a fixed
// clock and counted ids, the guide's task definition, and catching a refusal.

import assert from "node:assert/strict";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEcsService, type EcsOperations } from "./mod.js";

export const region = "us-west-2";
export const accountId = "123456789012";

export function testService(): { store: Store; ecs: EcsOperations; clock: { now: Date } } {
  const store = createMemoryStore();
  const clock = { now: new Date("2026-01-02T03:04:05Z") };
  let hex = 0;
  let uuid = 0;
  const service = createEcsService({
    store,
    region,
    accountId,
    now: () => clock.now,
    randomHex: () => (++hex).toString(16).padStart(32, "0"),
    randomUuid: () => `00000000-0000-4000-8000-${(++uuid).toString().padStart(12, "0")}`,
  });
  return { store, ecs: service.operations, clock };
}

export function refusal(run: () => unknown): MoorError {
  try {
    run();
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail("expected a refusal");
}

export const guideDefinition = {
  family: "efs-demo",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "1024",
  executionRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`,
  taskRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskRole`,
  containerDefinitions: [
    { name: "app", image: "busybox", essential: true, portMappings: [{ containerPort: 80, protocol: "tcp" }], mountPoints: [{ containerPath: "/www", sourceVolume: "efs-vol", readOnly: false }] },
  ],
  volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", rootDirectory: "/", transitEncryption: "ENABLED" as const, authorizationConfig: { accessPointId: "fsap-0123456789abcdef0", iam: "ENABLED" as const } } }],
};
