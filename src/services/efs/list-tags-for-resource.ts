// ListTagsForResource: a file system's or an access point's tags, in pages.

import { pageSizeShape, pageTokenShape, resourceIdShape, tagsToWire, type WireTag } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkOptional, checkRequired } from "./_operation.js";
import { requireTaggable, tagPage } from "./_tagging.js";

const action = "Cannot list tags for resource";

export interface ListTagsForResourceInput {
  ResourceId: string;
  MaxResults?: number;
  NextToken?: string;
}

export function listTagsForResource(context: EfsContext, input: ListTagsForResourceInput): { Tags: WireTag[]; NextToken?: string } {
  const resourceId = input.ResourceId;
  checkRequired(resourceId, "ResourceId", resourceIdShape, action);
  checkOptional(input.MaxResults, "MaxResults", pageSizeShape, action);
  const maxResults = input.MaxResults ?? 100;
  checkOptional(input.NextToken, "NextToken", pageTokenShape, action);
  const nextToken = input.NextToken;
  const resource = requireTaggable(context, resourceId, action);
  const page = tagPage(resource.spec.tags, nextToken, maxResults, action, "NextToken");
  return { Tags: tagsToWire(page.tags), ...(page.next === undefined ? {} : { NextToken: page.next }) };
}
