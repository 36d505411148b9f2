// DescribeMountTargets: exactly one of FileSystemId, MountTargetId and AccessPointId; a file
// system's (or an access point's file system's) mount targets come sorted by id in pages of at
// most 100.

import {
  accessPointIdShape,
  badRequest,
  fileSystemIdShape,
  type MountTargetObject,
  mountTargetIdShape,
  mountTargetKind,
  pageSizeShape,
  pageTokenShape,
} from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { describeMountTarget, type MountTargetDescription } from "./_describe.js";
import { firstAfter } from "./_index.js";
import { checkOptional, pageOf, requireAccessPoint, requireFileSystem, requireMountTarget } from "./_operation.js";

const action = "Cannot describe mount targets";
const pageSizeMax = 100;

export interface DescribeMountTargetsInput {
  MaxItems?: number;
  Marker?: string;
  FileSystemId?: string;
  MountTargetId?: string;
  AccessPointId?: string;
}

export interface DescribeMountTargetsOutput {
  Marker?: string;
  MountTargets: MountTargetDescription[];
  NextMarker?: string;
}

export function describeMountTargets(context: EfsContext, input: DescribeMountTargetsInput): DescribeMountTargetsOutput {
  checkOptional(input.MaxItems, "MaxItems", pageSizeShape, action);
  checkOptional(input.Marker, "Marker", pageTokenShape, action);
  checkOptional(input.FileSystemId, "FileSystemId", fileSystemIdShape, action);
  checkOptional(input.MountTargetId, "MountTargetId", mountTargetIdShape, action);
  checkOptional(input.AccessPointId, "AccessPointId", accessPointIdShape, action);
  const maxItems = Math.min(input.MaxItems ?? pageSizeMax, pageSizeMax);
  const { Marker: marker, FileSystemId: fileSystemId, MountTargetId: mountTargetId, AccessPointId: accessPointId } = input;
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
  return {
    ...(marker === undefined ? {} : { Marker: marker }),
    MountTargets: targets.map(describeMountTarget),
    ...(next === undefined ? {} : { NextMarker: next }),
  };
}
