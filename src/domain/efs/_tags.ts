// Tag rules: at most 50 tags per resource, keys unique (a new value replaces the old one), the
// `Name` tag doubles as the resource's Name field. Key and value syntax is checked by the shapes.

import { quote } from "../../errors/mod.js";
import { badRequest } from "./_errors.js";
import type { Tag } from "./_objects.js";

export const tagsPerResourceMax = 50;

export interface WireTag {
  Key: string;
  Value: string;
}

/** Request tags (already shape-checked) as stored tags; a key given twice is refused. */
export function tagsFromWire(tags: WireTag[] | undefined, action: string): Tag[] {
  const result: Tag[] = [];
  const seen = new Set<string>();
  for (const tag of tags ?? []) {
    if (seen.has(tag.Key)) throw badRequest(`${action}: Tags has the key ${quote(tag.Key)} more than once`);
    seen.add(tag.Key);
    result.push({ key: tag.Key, value: tag.Value });
  }
  if (result.length > tagsPerResourceMax) throw badRequest(`${action}: ${result.length} tags given; a resource has at most ${tagsPerResourceMax}`);
  return result;
}

export function tagsToWire(tags: Tag[]): WireTag[] {
  return tags.map((tag) => ({ Key: tag.key, Value: tag.value }));
}

/** Adds or replaces tags by key, keeping the order in which keys first appeared. */
export function mergeTags(existing: Tag[], added: Tag[], action: string): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  if (merged.size > tagsPerResourceMax) {
    throw badRequest(`${action}: the resource would have ${merged.size} tags; a resource has at most ${tagsPerResourceMax}`);
  }
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** Removes tags by key; keys the resource does not have are ignored, as on AWS. */
export function removeTags(existing: Tag[], keys: string[]): Tag[] {
  const removed = new Set(keys);
  return existing.filter((tag) => !removed.has(tag.key));
}

export function nameTag(tags: Tag[]): string | undefined {
  return tags.find((tag) => tag.key === "Name")?.value;
}
