// What the IAM unit tests share: the service over the in-memory store, its ids counted and its
// clock fixed, and the code of the error a call raises.

import { createMemoryStore, type Store } from "../../store/mod.js";
import { createIamService } from "./mod.js";

export function iamFixture(): { store: Store; iam: Record<string, (input: unknown) => any> } {
  let id = 0;
  const store = createMemoryStore();
  const iam = createIamService({ store, accountId: "123456789012", now: () => new Date("2025-01-01T00:00:00Z"), randomId: (count) => String(++id).padStart(count, "0") });
  return { store, iam: iam.operations as Record<string, (input: unknown) => any> };
}

/** The `code` of what `call` throws; undefined when it does not throw. */
export function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}
