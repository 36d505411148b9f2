// ListInstanceProfilesForRole: Moor has no EC2 instances and so no instance profiles; the
// answer for an existing role is the empty list (Terraform asks before deleting a role).

import type { IamContext } from "./_context.js";
import { getStoredRole } from "./_roles.js";

export function listInstanceProfilesForRole(context: IamContext, input: { RoleName: string }): Record<string, unknown> {
  getStoredRole(context, input.RoleName);
  return { InstanceProfiles: [], IsTruncated: false };
}
