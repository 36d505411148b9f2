// ECR's list paging: `maxResults` and an opaque `nextToken` holding the position of the next
// item. The model bounds maxResults (1-1000); ECR's default page is 100 for repositories and
// images alike.

import { ecrError } from "./_context.js";

export const pageItemsDefault = 100;

export interface PageInput {
  nextToken?: string;
  maxResults?: number;
}

export function page<T>(items: readonly T[], input: PageInput): { items: T[]; nextToken?: string } {
  let start = 0;
  if (input.nextToken !== undefined) {
    start = Number(Buffer.from(input.nextToken, "base64url").toString("utf8").replace(/^p/, ""));
    if (!Number.isSafeInteger(start) || start < 0) throw ecrError("InvalidParameterException", "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token from an earlier answer'");
  }
  const end = start + (input.maxResults ?? pageItemsDefault);
  const result: { items: T[]; nextToken?: string } = { items: items.slice(start, end) };
  if (end < items.length) result.nextToken = Buffer.from(`p${end}`).toString("base64url");
  return result;
}
