// DescribeMountTargets: GET /2015-02-01/mount-targets?FileSystemId|MountTargetId|AccessPointId|
// MaxItems|Marker. Exactly one of the three ids is required; a file system's (or an access
// point's file system's) mount targets come sorted by id in pages of at most 100.

import {
  accessPointIdShape,
  badRequest,
  fileSystemIdShape,
  type MountTargetObject,
  mountTargetIdShape,
  mountTargetKind,
  pageSizeShape,
  pageTokenShape,
} from "../../../domain/efs/mod.js";
import { describeMountTarget } from "./_describe.js";
import { firstAfter } from "./_index.js";
import { type EfsOperation, ok, pageOf, queryInteger, queryString, requireAccessPoint, requireFileSystem, requireMountTarget } from "./_operation.js";

const action = "Cannot describe mount targets";
const pageSizeMax = 100;

export const describeMountTargets: EfsOperation = {
  name: "DescribeMountTargets",
  method: "GET",
  path: "/2015-02-01/mount-targets",
  run(context, request) {
    const maxItems = Math.min(queryInteger(request, "MaxItems", pageSizeShape, action) ?? pageSizeMax, pageSizeMax);
    const marker = queryString(request, "Marker", pageTokenShape, action);
    const fileSystemId = queryString(request, "FileSystemId", fileSystemIdShape, action);
    const mountTargetId = queryString(request, "MountTargetId", mountTargetIdShape, action);
    const accessPointId = queryString(request, "AccessPointId", accessPointIdShape, action);
    const given = [fileSystemId, mountTargetId, accessPointId].filter((value) => value !== undefined).length;
    if (given !== 1) throw badRequest(`${action}: give exactly one of FileSystemId, MountTargetId and AccessPointId; ${given} given`);
    let targets: MountTargetObject[];
    let next: string | undefined;
    if (mountTargetId !== undefined) {
      targets = [requireMountTarget(context, mountTargetId, action)];
    } else {
      const owner = fileSystemId !== undefined ? requireFileSystem(context, fileSystemId, action).metadata.name : requireAccessPoint(context, accessPointId!, action).spec.fileSystemId;
      const ids = context.index.mountTargetsOf(owner);
      const page = pageOf(ids, marker === undefined ? 0 : firstAfter(ids, marker), maxItems);
      targets = page.ids.map((id) => context.store.get({ kind: mountTargetKind, name: id })).filter((object) => object !== undefined) as MountTargetObject[];
      next = page.next;
    }
    return ok({
      ...(marker === undefined ? {} : { Marker: marker }),
      MountTargets: targets.map(describeMountTarget),
      ...(next === undefined ? {} : { NextMarker: next }),
    });
  },
};
