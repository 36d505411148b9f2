// DescribeAccessPoints: one access point, or a file system's (from the index, sorted by id, so
// paging through 10,000 reads only the page), or every access point; pages of at most 1,000.

import {
  type AccessPointObject,
  accessPointIdShape,
  accessPointKind,
  badRequest,
  fileSystemIdShape,
  pageSizeShape,
  pageTokenShape,
} from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { type AccessPointDescription, describeAccessPoint } from "./_describe.js";
import { firstAfter } from "./_index.js";
import { checkOptional, pageOf, requireAccessPoint, requireFileSystem } from "./_operation.js";

const action = "Cannot describe access points";
const pageSizeDefault = 100;
const pageSizeMax = 1000;

export interface DescribeAccessPointsInput {
  MaxResults?: number;
  NextToken?: string;
  AccessPointId?: string;
  FileSystemId?: string;
}

export interface DescribeAccessPointsOutput {
  AccessPoints: AccessPointDescription[];
  NextToken?: string;
}

export function describeAccessPoints(context: EfsContext, input: DescribeAccessPointsInput): DescribeAccessPointsOutput {
  checkOptional(input.MaxResults, "MaxResults", pageSizeShape, action);
  checkOptional(input.NextToken, "NextToken", pageTokenShape, action);
  checkOptional(input.AccessPointId, "AccessPointId", accessPointIdShape, action);
  checkOptional(input.FileSystemId, "FileSystemId", fileSystemIdShape, action);
  const maxResults = Math.min(input.MaxResults ?? pageSizeDefault, pageSizeMax);
  const { NextToken: nextToken, AccessPointId: accessPointId, FileSystemId: fileSystemId } = input;
  if (accessPointId !== undefined && fileSystemId !== undefined) throw badRequest(`${action}: give AccessPointId or FileSystemId, not both`);
  if (accessPointId !== undefined) {
    return { AccessPoints: [describeAccessPoint(requireAccessPoint(context, accessPointId, action))] };
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
  return { AccessPoints: accessPoints.map(describeAccessPoint), ...(next === undefined ? {} : { NextToken: next }) };
}
