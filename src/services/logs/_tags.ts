// A log group's tags, reached by the group's name (TagLogGroup and its kin) or by its ARN
// (TagResource and its kin); at most 50 per group.

import { type LogsContext, logsError, requireGroup } from "./_context.js";

const tagsMax = 50;

export function groupNameOfArn(arn: string): string {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(arn);
  if (!match) throw logsError("InvalidParameterException", `The specified resource ARN is invalid: ${arn}`);
  return match[1]!;
}

export function readTags(context: LogsContext, groupName: string): Record<string, string> {
  return { ...requireGroup(context, groupName).spec.tags };
}

export function changeTags(context: LogsContext, groupName: string, change: (tags: Record<string, string>) => Record<string, string>): void {
  context.store.transaction(() => {
    const group = requireGroup(context, groupName);
    const tags = change({ ...group.spec.tags });
    if (Object.keys(tags).length > tagsMax) throw logsError("TooManyTagsException", `A resource can have no more than ${tagsMax} tags.`);
    context.store.update({ ...group, spec: { ...group.spec, tags } });
  });
}

export function withoutKeys(tags: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !keys.includes(key)));
}
