// Repository tags as ECR keeps them: Key and Value, at most 50, keys unique and not starting
// with "aws:".

import { ecrError, type EcrTag } from "./_context.js";

export const tagsMax = 50;

export function checkTags(tags: EcrTag[]): EcrTag[] {
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith("aws:")) throw ecrError("InvalidTagParameterException", `Invalid parameter at 'tags' failed to satisfy constraint: 'tag key "${tag.Key}" uses the reserved prefix aws:'`);
  }
  return mergeTags([], tags);
}

/** `current` with `added` put over it (a key given again takes the new value). */
export function mergeTags(current: EcrTag[], added: EcrTag[]): EcrTag[] {
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value ?? ""]));
  for (const tag of added) merged.set(tag.Key, tag.Value ?? "");
  if (merged.size > tagsMax) throw ecrError("TooManyTagsException", `Cannot tag repository: it would have ${merged.size} tags, more than ${tagsMax}`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
