// DescribeFileSystems: by FileSystemId, CreationToken, or a page (MaxItems, Marker).
// One file system by id (or ARN) or creation token (404 FileSystemNotFound when there is none,
// as the model documents), else every file system in pages of at most 100.

import { efsError, fileSystemIdShape, type FileSystemObject, fileSystemKind, pageSizeShape, pageTokenShape, tokenShape } from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";
import { describeFileSystem, type FileSystemDescription } from "./_describe.js";
import { checkOptional, requireFileSystem } from "./_operation.js";

const action = "Cannot describe file systems";
const pageSizeMax = 100;

export interface DescribeFileSystemsInput {
  MaxItems?: number;
  Marker?: string;
  CreationToken?: string;
  FileSystemId?: string;
}

export interface DescribeFileSystemsOutput {
  Marker?: string;
  FileSystems: FileSystemDescription[];
  NextMarker?: string;
}

export function describeFileSystems(context: EfsContext, input: DescribeFileSystemsInput): DescribeFileSystemsOutput {
  checkOptional(input.MaxItems, "MaxItems", pageSizeShape, action);
  checkOptional(input.Marker, "Marker", pageTokenShape, action);
  checkOptional(input.CreationToken, "CreationToken", tokenShape, action);
  checkOptional(input.FileSystemId, "FileSystemId", fileSystemIdShape, action);
  const { Marker: marker, CreationToken: creationToken, FileSystemId: fileSystemId } = input;
  const maxItems = input.MaxItems ?? pageSizeMax;
  let fileSystems: FileSystemObject[];
  let nextMarker: string | undefined;
  if (fileSystemId !== undefined) {
    const fileSystem = requireFileSystem(context, fileSystemId, action);
    if (creationToken !== undefined && fileSystem.spec.creationToken !== creationToken) {
      throw efsError("FileSystemNotFound", `${action}: file system ${quote(fileSystem.metadata.name)} does not have the creation token ${quote(creationToken)}`);
    }
    fileSystems = [fileSystem];
  } else if (creationToken !== undefined) {
    const id = context.index.fileSystemByToken(creationToken);
    const fileSystem = id === undefined ? undefined : context.store.get({ kind: fileSystemKind, name: id });
    if (!fileSystem) throw efsError("FileSystemNotFound", `${action}: no file system has the creation token ${quote(creationToken)}`);
    fileSystems = [fileSystem as FileSystemObject];
  } else {
    const limit = Math.min(maxItems, pageSizeMax);
    const items = context.store.list(fileSystemKind, { afterName: marker, limit: limit + 1 }).items as FileSystemObject[];
    fileSystems = items.slice(0, limit);
    if (items.length > limit) nextMarker = fileSystems[fileSystems.length - 1]!.metadata.name;
  }
  return {
    ...(marker === undefined ? {} : { Marker: marker }),
    FileSystems: fileSystems.map((fileSystem) => describeFileSystem(context, fileSystem)),
    ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
  };
}
