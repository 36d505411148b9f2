// DescribeAccessPoints: GET /2015-02-01/access-points?AccessPointId|FileSystemId|MaxResults|
// NextToken. One access point, or a file system's (from the index, sorted by id, so paging
// through 10,000 reads only the page), or every access point; pages of at most 1,000.

import {
  type AccessPointObject,
  accessPointIdShape,
  accessPointKind,
  badRequest,
  fileSystemIdShape,
  pageSizeShape,
  pageTokenShape,
} from "../../../domain/efs/mod.js";
import { describeAccessPoint } from "./_describe.js";
import { firstAfter } from "./_index.js";
import { type EfsOperation, ok, pageOf, queryInteger, queryString, requireAccessPoint, requireFileSystem } from "./_operation.js";

const action = "Cannot describe access points";
const pageSizeDefault = 100;
const pageSizeMax = 1000;

export const describeAccessPoints: EfsOperation = {
  name: "DescribeAccessPoints",
  method: "GET",
  path: "/2015-02-01/access-points",
  run(context, request) {
    const maxResults = Math.min(queryInteger(request, "MaxResults", pageSizeShape, action) ?? pageSizeDefault, pageSizeMax);
    const nextToken = queryString(request, "NextToken", pageTokenShape, action);
    const accessPointId = queryString(request, "AccessPointId", accessPointIdShape, action);
    const fileSystemId = queryString(request, "FileSystemId", fileSystemIdShape, action);
    if (accessPointId !== undefined && fileSystemId !== undefined) throw badRequest(`${action}: give AccessPointId or FileSystemId, not both`);
    if (accessPointId !== undefined) {
      return ok({ AccessPoints: [describeAccessPoint(requireAccessPoint(context, accessPointId, action))] });
    }
    let accessPoints: AccessPointObject[];
    let next: string | undefined;
    if (fileSystemId !== undefined) {
      const fileSystem = requireFileSystem(context, fileSystemId, action);
      const ids = context.index.accessPointsOf(fileSystem.metadata.name);
      const page = pageOf(ids, nextToken === undefined ? 0 : firstAfter(ids, nextToken), maxResults);
      accessPoints = page.ids.map((id) => context.store.get({ kind: accessPointKind, name: id })).filter((object) => object !== undefined) as AccessPointObject[];
      next = page.next;
    } else {
      const items = context.store.list(accessPointKind, { afterName: nextToken, limit: maxResults + 1 }).items as AccessPointObject[];
      accessPoints = items.slice(0, maxResults);
      if (items.length > maxResults) next = accessPoints[accessPoints.length - 1]!.metadata.name;
    }
    return ok({ AccessPoints: accessPoints.map(describeAccessPoint), ...(next === undefined ? {} : { NextToken: next }) });
  },
};
