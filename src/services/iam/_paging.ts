// IAM's list paging: `MaxItems` (1-1000, default 100) and an opaque `Marker`, here the
// position of the next item, so a list that changes between pages never repeats a name.

import { invalid } from "../../errors/mod.js";

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

export const pageItemsDefault = 100;

/** One page of `items` (already in order) from the input's Marker. */
export function page<T>(items: readonly T[], input: PageInput): Page<T> {
  let start = 0;
  if (input.Marker !== undefined) {
    start = Number(Buffer.from(input.Marker, "base64").toString("utf8").replace(/^p/, ""));
    if (!Number.isSafeInteger(start) || start < 0) throw invalid(`Invalid Marker: ${input.Marker}`, { code: "InvalidInput" });
  }
  const size = input.MaxItems ?? pageItemsDefault;
  const end = start + size;
  const truncated = end < items.length;
  const result: Page<T> = { items: items.slice(start, end), IsTruncated: truncated };
  if (truncated) result.Marker = Buffer.from(`p${end}`).toString("base64");
  return result;
}
