// DescribeCluster and ListClusters: the clusters as stored, their endpoint and CA the kube API's.

import type { StoredObject } from "../../store/mod.js";
import { clusterKind, type EksContext } from "./_context.js";
import { type ClusterDescription, describeClusterObject } from "./_describe.js";
import { clusterNotFound, eksError } from "./_errors.js";

/** The stored cluster, or ResourceNotFoundException with EKS's text. */
export function requireCluster(context: EksContext, name: string): StoredObject {
  const cluster = typeof name === "string" ? context.store.get({ kind: clusterKind, name }) : undefined;
  if (!cluster) throw clusterNotFound(String(name));
  return cluster;
}

export function describeCluster(context: EksContext, input: { name: string }): { cluster: ClusterDescription } {
  return { cluster: describeClusterObject(context, requireCluster(context, input.name)) };
}

export interface ListInput {
  maxResults?: number;
  nextToken?: string;
}

export function listClusters(context: EksContext, input: ListInput = {}): { clusters: string[]; nextToken?: string } {
  const names = context.store.list(clusterKind).items.map((cluster) => cluster.metadata.name).sort();
  const { items, nextToken } = pageOf(names, input, 100);
  return { clusters: items, ...(nextToken ? { nextToken } : {}) };
}

/** One page of sorted names; the token is the last name given, so pages stay stable as names come and go. */
export function pageOf(names: string[], input: ListInput, limit: number): { items: string[]; nextToken?: string } {
  const max = input.maxResults ?? limit;
  if (!Number.isInteger(max) || max < 1 || max > limit) throw eksError("InvalidParameterException", `maxResults must be a whole number from 1 to ${limit}`);
  const start = input.nextToken === undefined ? 0 : names.findIndex((name) => name > input.nextToken!);
  const rest = start < 0 ? [] : names.slice(start);
  const items = rest.slice(0, max);
  return rest.length > max ? { items, nextToken: items[items.length - 1]! } : { items };
}
