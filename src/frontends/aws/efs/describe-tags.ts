// DescribeTags (deprecated): GET /2015-02-01/tags/{FileSystemId}/?MaxItems&Marker → 200
// {Marker, Tags, NextMarker}. File systems only.

import { fileSystemIdShape, pageSizeShape, pageTokenShape, tagsToWire } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, ok, queryInteger, queryString, requireFileSystem } from "./_operation.js";
import { tagPage } from "./_tagging.js";

const action = "Cannot describe tags";

export const describeTags: EfsOperation = {
  name: "DescribeTags",
  method: "GET",
  path: "/2015-02-01/tags/{FileSystemId}/",
  run(context, request) {
    const id = label(request, "FileSystemId", fileSystemIdShape, action);
    const maxItems = queryInteger(request, "MaxItems", pageSizeShape, action) ?? 100;
    const marker = queryString(request, "Marker", pageTokenShape, action);
    const fileSystem = requireFileSystem(context, id, action);
    const page = tagPage(fileSystem.spec.tags, marker, maxItems, action, "Marker");
    return ok({
      ...(marker === undefined ? {} : { Marker: marker }),
      Tags: tagsToWire(page.tags),
      ...(page.next === undefined ? {} : { NextMarker: page.next }),
    });
  },
};
