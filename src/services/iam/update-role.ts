// UpdateRole: the description and the maximum session length.

import type { IamContext } from "./_context.js";
import { updateRole as changeRole } from "./_update.js";

export function updateRole(context: IamContext, input: { RoleName: string; Description?: string; MaxSessionDuration?: number }): Record<string, never> {
  changeRole(context, input.RoleName, (spec) => {
    if (input.Description !== undefined) spec.description = input.Description;
    if (input.MaxSessionDuration !== undefined) spec.maxSessionDuration = input.MaxSessionDuration;
  });
  return {};
}
