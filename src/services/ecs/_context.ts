// What every ECS operation works with: the store, the account and region its ARNs name, a
// clock and sources of unique ids (injected, so tests see fixed values); how ECS objects are
// kept in the store; and ECS's errors. Clusters and task definitions are cluster-scoped
// objects (a task definition is named `family:revision`); tasks and services live in a
// namespace named after their cluster.

import { MoorError, type ErrorCategory } from "../../errors/mod.js";
import { clusterNameOf, type Place } from "../../domain/ecs/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

export interface EcsContext extends Place {
  store: Store;
  now(): Date;
  /** 32 hex digits, for task ids. */
  randomHex(): string;
  randomUuid(): string;
  /** An ELBv2 target group by ARN, for services' loadBalancers; none without ELBv2. */
  targetGroup?: (arn: string) => { targetType: string; loadBalancerArns: string[] } | undefined;
}

/** What the AWS front end passes with each request. */
export interface CallContext {
  region: string;
  accountId: string;
  requestId: string;
  principal?: string;
}

export const ecsApiVersion = "ecs.moor.dev/v1";
export const clusterKind = "EcsCluster";
export const taskDefinitionKind = "EcsTaskDefinition";
export const taskKind = "EcsTask";
export const serviceKind = "EcsService";

export interface Tag {
  key?: string;
  value?: string;
}

/** An ECS error: its wire code (the model's shape name), ECS's text, and Moor's category. */
export function ecsError(code: string, message: string, category: ErrorCategory = "Invalid"): MoorError {
  return new MoorError(category, message, { code });
}

export const clientError = (message: string) => ecsError("ClientException", message);
export const parameterError = (message: string) => ecsError("InvalidParameterException", message);

/** The ACTIVE cluster a `cluster` member names; ClusterNotFoundException otherwise. */
export function requireCluster(context: EcsContext, identifier: string | undefined): StoredObject {
  const cluster = context.store.get({ kind: clusterKind, name: clusterNameOf(identifier) });
  if (!cluster) throw ecsError("ClusterNotFoundException", "Cluster not found.", "NotFound");
  return cluster;
}

export function timestampOf(value: unknown): Date | undefined {
  return typeof value === "string" ? new Date(value) : undefined;
}

/** One page of a list: `nextToken` is the index of the next item, as ECS's tokens are opaque. */
export function page<T>(items: T[], input: { nextToken?: string; maxResults?: number }, maxDefault = 100): { items: T[]; nextToken?: string } {
  const start = input.nextToken ? Number(input.nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw parameterError("Invalid nextToken.");
  const size = input.maxResults ?? maxDefault;
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, nextToken: String(start + size) } : { items: slice };
}
