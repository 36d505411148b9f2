// PutRetentionPolicy and DeleteRetentionPolicy: how many days a group keeps its events (one of
// AWS's fixed values); the log engine drops older events when the retention sweep runs.

import { type LogsContext, logsError, requireGroup } from "./_context.js";

export const retentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function putRetentionPolicy(context: LogsContext, input: { logGroupName: string; retentionInDays: number }): void {
  if (!retentionDays.includes(input.retentionInDays)) {
    throw logsError(
      "InvalidParameterException",
      `1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${retentionDays.join(", ")}]`,
    );
  }
  setRetention(context, input.logGroupName, input.retentionInDays);
}

export function deleteRetentionPolicy(context: LogsContext, input: { logGroupName: string }): void {
  setRetention(context, input.logGroupName, undefined);
}

function setRetention(context: LogsContext, name: string, days: number | undefined): void {
  context.store.transaction(() => {
    const group = requireGroup(context, name);
    const { retentionInDays: _dropped, ...rest } = group.spec;
    context.store.update({ ...group, spec: days === undefined ? rest : { ...rest, retentionInDays: days } });
  });
}
