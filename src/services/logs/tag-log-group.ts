// TagLogGroup, UntagLogGroup and ListTagsLogGroup: the older calls, by the group's name.

import type { LogsContext } from "./_context.js";
import { changeTags, readTags, withoutKeys } from "./_tags.js";

export function tagLogGroup(context: LogsContext, input: { logGroupName: string; tags: Record<string, string> }): void {
  changeTags(context, input.logGroupName, (tags) => ({ ...tags, ...input.tags }));
}

export function untagLogGroup(context: LogsContext, input: { logGroupName: string; tags: string[] }): void {
  changeTags(context, input.logGroupName, (tags) => withoutKeys(tags, input.tags));
}

export function listTagsLogGroup(context: LogsContext, input: { logGroupName: string }) {
  return { tags: readTags(context, input.logGroupName) };
}
