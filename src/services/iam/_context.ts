// What every IAM operation works with: the store, the account, a clock and a source of random
// ids (both injected, so tests see fixed values), and the stored kinds. Role and customer
// policy names are unique per account ignoring case, as in IAM, so objects are stored under the
// lower-cased name and keep the name as given in their spec.

import type { Store } from "../../store/mod.js";

export interface IamContext {
  store: Store;
  accountId: string;
  now(): Date;
  /** `count` random characters from A-Z and 0-9, for unique ids (AROA…, ANPA…). */
  randomId(count: number): string;
}

export const iamApiVersion = "iam.moor.dev/v1";
export const roleKind = "IamRole";
export const policyKind = "IamPolicy";

/** A stored object's name for an IAM name: unique ignoring case. */
export function storedName(name: string): string {
  return name.toLowerCase();
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Tags set over existing ones by key (TagRole, Tags at creation). */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.Key, tag]));
  for (const tag of added) byKey.set(tag.Key, { Key: tag.Key, Value: tag.Value ?? "" });
  return [...byKey.values()];
}
