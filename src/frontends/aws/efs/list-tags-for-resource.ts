// ListTagsForResource: GET /2015-02-01/resource-tags/{ResourceId}?MaxResults&NextToken → 200
// {Tags, NextToken}.

import { pageSizeShape, pageTokenShape, resourceIdShape, tagsToWire } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, ok, queryInteger, queryString } from "./_operation.js";
import { requireTaggable, tagPage } from "./_tagging.js";

const action = "Cannot list tags for resource";

export const listTagsForResource: EfsOperation = {
  name: "ListTagsForResource",
  method: "GET",
  path: "/2015-02-01/resource-tags/{ResourceId}",
  run(context, request) {
    const resourceId = label(request, "ResourceId", resourceIdShape, action);
    const maxResults = queryInteger(request, "MaxResults", pageSizeShape, action) ?? 100;
    const nextToken = queryString(request, "NextToken", pageTokenShape, action);
    const resource = requireTaggable(context, resourceId, action);
    const page = tagPage(resource.spec.tags, nextToken, maxResults, action, "NextToken");
    return ok({ Tags: tagsToWire(page.tags), ...(page.next === undefined ? {} : { NextToken: page.next }) });
  },
};
