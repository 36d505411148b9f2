// DeleteLogGroup: the group, its streams and their events.

import { logGroupKind, type LogsContext, logsError, requireGroup } from "./_context.js";

export function deleteLogGroup(context: LogsContext, input: { logGroupName: string }): void {
  const group = requireGroup(context, input.logGroupName);
  if (group.spec.deletionProtectionEnabled) {
    throw logsError("ValidationException", `Log group ${input.logGroupName} has deletion protection enabled and cannot be deleted.`);
  }
  context.store.delete({ kind: logGroupKind, name: input.logGroupName });
  context.events.deleteGroup(input.logGroupName);
}
