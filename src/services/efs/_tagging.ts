// Shared by the tagging actions: finding a taggable resource (a file system or an access point,
// by id or ARN) and writing its new tags.

import {
  type AccessPointObject,
  badRequest,
  type FileSystemObject,
  parseResourceId,
  type Tag,
} from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { changeableStates, requireAccessPoint, requireFileSystem, requireState } from "./_operation.js";

export function requireTaggable(context: EfsContext, resourceId: string, action: string): FileSystemObject | AccessPointObject {
  const resource = parseResourceId(resourceId);
  if (!resource) throw badRequest(`${action}: ResourceId ${quote(resourceId)} is not a file system or access point id or ARN`);
  return resource.kind === "FileSystem" ? requireFileSystem(context, resource.id, action) : requireAccessPoint(context, resource.id, action);
}

/** Replaces the resource's tags with `change(tags)`, atomically. */
export function changeTags(context: EfsContext, resourceId: string, action: string, change: (tags: Tag[]) => Tag[]): void {
  context.store.transaction(() => {
    const resource = requireTaggable(context, resourceId, action);
    if (resource.kind === "FileSystem") requireState(resource as FileSystemObject, changeableStates, action);
    context.store.update({ ...resource, spec: { ...resource.spec, tags: change(resource.spec.tags) } });
  });
}

/** A page of tags from a numeric offset token. */
export function tagPage(tags: Tag[], token: string | undefined, limit: number, action: string, tokenName: string): { tags: Tag[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || start > tags.length) throw badRequest(`${action}: ${tokenName} ${quote(token)} is not a token this API returned`);
  const page = tags.slice(start, start + limit);
  return start + limit < tags.length ? { tags: page, next: String(start + limit) } : { tags: page };
}
