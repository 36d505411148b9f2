// TagResource, UntagResource and ListTagsForResource: tags by the log group's ARN.

import type { LogsContext } from "./_context.js";
import { changeTags, groupNameOfArn, readTags, withoutKeys } from "./_tags.js";

export function tagResource(context: LogsContext, input: { resourceArn: string; tags: Record<string, string> }): void {
  changeTags(context, groupNameOfArn(input.resourceArn), (tags) => ({ ...tags, ...input.tags }));
}

export function untagResource(context: LogsContext, input: { resourceArn: string; tagKeys: string[] }): void {
  changeTags(context, groupNameOfArn(input.resourceArn), (tags) => withoutKeys(tags, input.tagKeys));
}

export function listTagsForResource(context: LogsContext, input: { resourceArn: string }) {
  return { tags: readTags(context, groupNameOfArn(input.resourceArn)) };
}
