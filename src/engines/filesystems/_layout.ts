// The backing-store layout, known here and nowhere else: a file system's data is the directory
// `<backingRoot>/<fs-id>`; an access point's root directory (or any path inside a file system)
// is that path under it; data being removed waits in `<backingRoot>/.trash`. Everything that
// turns an EFS id or path into a host path (the file-system controller, the mount engine, the
// volume controller's reclaim) asks these functions.

import { join, resolve } from "node:path";

const fileSystemIdPattern = /^fs-[0-9a-f]{8,40}$/;

/** `<backingRoot>/<fs-id>`; anything but a file system id is refused, since it becomes a path. */
export function fileSystemDirectory(backingRoot: string, fileSystemId: string): string {
  if (!fileSystemIdPattern.test(fileSystemId)) throw new Error(`Cannot use "${fileSystemId}" as a file system directory: it is not a file system id`);
  return join(backingRoot, fileSystemId);
}

/** Where data of removed file systems waits for deletion. */
export function trashDirectory(backingRoot: string): string {
  return join(backingRoot, ".trash");
}

/** The host path of `path` ("/", "/a/b") inside the file system whose directory is given. */
export function pathInFileSystem(fileSystemRoot: string, path: string): string {
  return join(fileSystemRoot, path);
}

/**
 * The host path of `path` ("/a/b", as access points name their root directories) inside the file
 * system whose directory is `fileSystemRoot`; undefined when it is the root itself or leads
 * outside it (`..`), which no caller may remove or create.
 */
export function directoryInFileSystem(fileSystemRoot: string, path: string): string | undefined {
  const root = resolve(fileSystemRoot);
  const target = resolve(pathInFileSystem(root, path));
  return target.startsWith(`${root}/`) ? target : undefined;
}

/** The host path of an access point's root directory, as `directoryInFileSystem`. */
export function accessPointDirectory(backingRoot: string, fileSystemId: string, rootPath: string): string | undefined {
  return directoryInFileSystem(fileSystemDirectory(backingRoot, fileSystemId), rootPath);
}
