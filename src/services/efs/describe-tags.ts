// DescribeTags (deprecated): a file system's tags, in pages.

import { fileSystemIdShape, pageSizeShape, pageTokenShape, tagsToWire, type WireTag } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkOptional, checkRequired, requireFileSystem } from "./_operation.js";
import { tagPage } from "./_tagging.js";

const action = "Cannot describe tags";

export interface DescribeTagsInput {
  FileSystemId: string;
  MaxItems?: number;
  Marker?: string;
}

export function describeTags(context: EfsContext, input: DescribeTagsInput): { Marker?: string; Tags: WireTag[]; NextMarker?: string } {
  const id = input.FileSystemId;
  checkRequired(id, "FileSystemId", fileSystemIdShape, action);
  checkOptional(input.MaxItems, "MaxItems", pageSizeShape, action);
  const maxItems = input.MaxItems ?? 100;
  checkOptional(input.Marker, "Marker", pageTokenShape, action);
  const marker = input.Marker;
  const fileSystem = requireFileSystem(context, id, action);
  const page = tagPage(fileSystem.spec.tags, marker, maxItems, action, "Marker");
  return {
    ...(marker === undefined ? {} : { Marker: marker }),
    Tags: tagsToWire(page.tags),
    ...(page.next === undefined ? {} : { NextMarker: page.next }),
  };
}
