// What every RDS operation works with: the store, the region and account, a clock and a source
// of random hex (both injected for tests), and finding instances and subnet groups as RDS's
// errors say. Identifiers are stored lower-cased, as RDS stores them.

import { MoorError, type ErrorCategory } from "../../errors/mod.js";
import { type DBInstanceObject, dbInstanceKind, type DBSubnetGroupObject, dbSubnetGroupKind } from "../../domain/rds/mod.js";
import type { Store } from "../../store/mod.js";

export interface RdsContext {
  store: Store;
  region: string;
  accountId: string;
  now(): Date;
  /** `count` random hex digits. */
  randomHex(count: number): string;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** An RDS error: its wire code (the model's error code), RDS's text, and Moor's category. */
export function rdsError(category: ErrorCategory, code: string, message: string): MoorError {
  return new MoorError(category, message, { code });
}

export function invalidParameter(message: string): MoorError {
  return rdsError("Invalid", "InvalidParameterValue", message);
}

export function findInstance(context: RdsContext, identifier: string): DBInstanceObject | undefined {
  return context.store.get({ kind: dbInstanceKind, name: identifier.toLowerCase() }) as unknown as DBInstanceObject | undefined;
}

export function requireInstance(context: RdsContext, identifier: string): DBInstanceObject {
  const found = findInstance(context, identifier);
  if (!found) throw rdsError("NotFound", "DBInstanceNotFound", `DBInstance ${identifier} not found.`);
  return found;
}

export function listInstances(context: RdsContext): DBInstanceObject[] {
  return context.store.list(dbInstanceKind).items as unknown as DBInstanceObject[];
}

export function requireSubnetGroup(context: RdsContext, name: string): DBSubnetGroupObject {
  const found = context.store.get({ kind: dbSubnetGroupKind, name: name.toLowerCase() }) as unknown as DBSubnetGroupObject | undefined;
  if (!found) throw rdsError("NotFound", "DBSubnetGroupNotFoundFault", `DBSubnetGroup ${name} not found.`);
  return found;
}

/** Writes the instance's status (and more of it), as one store update. */
export function updateInstance(context: RdsContext, instance: DBInstanceObject, change: { spec?: Partial<DBInstanceObject["spec"]>; status?: Partial<DBInstanceObject["status"]> }): DBInstanceObject {
  const current = requireInstance(context, instance.metadata.name);
  const status = change.status?.status && change.status.status !== current.status.status ? { since: context.now().toISOString() } : {};
  const updated = { ...current, spec: { ...current.spec, ...change.spec }, status: { ...current.status, ...status, ...change.status } };
  return context.store.update(updated as never) as unknown as DBInstanceObject;
}

/** Refuses an operation unless the instance is in one of the statuses. */
export function requireStatus(instance: DBInstanceObject, allowed: readonly string[], action: string): void {
  if (allowed.includes(instance.status.status)) return;
  throw rdsError("Conflict", "InvalidDBInstanceState", `Cannot ${action} DB instance ${instance.spec.identifier}: it is in state ${instance.status.status}`);
}

/** Tags set over existing ones by key. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[] | undefined): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.Key, tag]));
  for (const tag of added ?? []) byKey.set(tag.Key, { Key: tag.Key, Value: tag.Value ?? "" });
  return [...byKey.values()];
}
