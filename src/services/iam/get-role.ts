// GetRole: the role with its trust policy URL-encoded, as IAM sends it.

import type { IamContext } from "./_context.js";
import { getStoredRole, roleOutput } from "./_roles.js";

export function getRole(context: IamContext, input: { RoleName: string }): { Role: Record<string, unknown> } {
  return { Role: roleOutput(getStoredRole(context, input.RoleName).spec!, true) };
}
