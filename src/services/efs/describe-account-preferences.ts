// DescribeAccountPreferences: Moor issues long (17-digit) ids only, as AWS has since October 2021.

import type { EfsContext } from "./_context.js";

export interface AccountPreferencesOutput {
  ResourceIdPreference: { ResourceIdType: string; Resources: string[] };
}

export const resourceIdPreference = { ResourceIdType: "LONG_ID", Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] };

export type DescribeAccountPreferencesInput = Record<string, never>;

export function describeAccountPreferences(_context: EfsContext, _input: DescribeAccountPreferencesInput): AccountPreferencesOutput {
  return { ResourceIdPreference: resourceIdPreference };
}
