// The object a resource ARN names, for TagResource, UntagResource and ListTagsForResource:
// clusters, task definition revisions, tasks and services, each keeping `spec.tags`.

import { resourceOfArn } from "../../domain/ecs/mod.js";
import type { ObjectKey, StoredObject } from "../../store/mod.js";
import { clusterKind, type EcsContext, ecsError, parameterError, serviceKind, taskDefinitionKind, taskKind } from "./_context.js";

function keyOf(arn: string): ObjectKey {
  const resource = resourceOfArn(arn);
  const [first = "", second] = resource?.path.split("/") ?? [];
  if (resource?.type === "cluster") return { kind: clusterKind, name: first };
  if (resource?.type === "task-definition") return { kind: taskDefinitionKind, name: first };
  if (resource?.type === "task" && second) return { kind: taskKind, namespace: first, name: second };
  if (resource?.type === "service" && second) return { kind: serviceKind, namespace: first, name: second };
  // unverified text
  throw parameterError(`The ARN ${arn} is not a valid ARN for a taggable ECS resource.`);
}

export function requireTaggable(context: EcsContext, arn: string): StoredObject {
  const key = keyOf(arn);
  const object = context.store.get(key);
  if (object) return object;
  if (key.kind === clusterKind) throw ecsError("ClusterNotFoundException", "Cluster not found.", "NotFound");
  // unverified text
  throw ecsError("ResourceNotFoundException", "The specified resource could not be found.", "NotFound");
}
