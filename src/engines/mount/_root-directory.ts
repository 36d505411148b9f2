// An access point's root directory on the backing store: created on first mount from its
// CreationInfo (every missing component gets that owner, group and mode), never changed when it
// already exists. Whoever writes into the file system can plant symbolic links in it, so the walk
// goes one component at a time beneath the file system's root, through no link at all, and
// creates and changes each directory through descriptors: a link is refused before anything is
// created or changed, wherever it leads.

import { closeSync, constants, fchmodSync, fchownSync, lstatSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { type AccessPointObject, permissionsMode } from "../../domain/efs/mod.js";
import { forbidden, notFound } from "../../errors/mod.js";
import { entryPath, openBeneath, openPathFlag } from "../filesystems/mod.js";

interface CreationInfo {
  ownerUid: number;
  ownerGid: number;
  permissions: string;
}

/**
 * Makes sure the directory a mount presents exists (creating an access point's root directory
 * from its CreationInfo) and returns its host path, which passes through no symbolic link.
 */
export async function ensureDirectory(fileSystemRoot: string, resolution: { pathInFileSystem: string; accessPoint?: AccessPointObject }, target: string): Promise<string> {
  const fail = (message: string) => `Cannot mount "${target}": ${message}`;
  const accessPoint = resolution.accessPoint;
  const rootPath = accessPoint?.spec.rootDirectory.path ?? "/";
  const absent = (cause?: unknown) => notFound(fail(`reason given by server: No such file or directory: "${resolution.pathInFileSystem}" does not exist in file system`), { cause });
  let rootFd: number;
  try {
    rootFd = openSync(fileSystemRoot, openPathFlag | constants.O_DIRECTORY); // Moor's own directory.
  } catch (error) {
    throw absent(error);
  }
  try {
    if (accessPoint && rootPath !== "/") {
      const creationInfo = accessPoint.spec.rootDirectory.creationInfo;
      const missing = () =>
        notFound(
          fail(`reason given by server: No such file or directory: the root directory "${rootPath}" of access point "${accessPoint.metadata.name}" does not exist and the access point has no CreationInfo to create it`),
        );
      walk(rootFd, rootPath, fail, creationInfo ?? missing);
    }
    walk(rootFd, resolution.pathInFileSystem, fail, () => absent());
  } finally {
    closeSync(rootFd);
  }
  return join(fileSystemRoot, ...resolution.pathInFileSystem.split("/").filter(Boolean));
}

/**
 * Walks `path` from the file system's root, one directory at a time, refusing links and
 * non-directories; a missing component is created from `create` when it is CreationInfo, or
 * fails with the error it makes.
 */
function walk(rootFd: number, path: string, fail: (message: string) => string, create: CreationInfo | (() => Error)): void {
  let directory = rootFd;
  try {
    for (const name of path.split("/").filter(Boolean)) {
      if (name === "..") throw forbidden(fail(`"${path}" leads outside the file system`));
      if (name === ".") continue;
      const next = step(directory, name, path, fail, create);
      if (directory !== rootFd) closeSync(directory);
      directory = next;
    }
  } finally {
    if (directory !== rootFd) closeSync(directory);
  }
}

/** The directory `name` in `directory`, opened without following it, created if missing and allowed. */
function step(directory: number, name: string, path: string, fail: (message: string) => string, create: CreationInfo | (() => Error)): number {
  const open = () => openBeneath(directory, name, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return open();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw refusal(directory, name, path, fail, error);
  }
  if (typeof create === "function") throw create();
  try {
    mkdirSync(entryPath(directory, name), { mode: 0o700 });
  } catch (error) {
    // Someone else made it meanwhile: use it as found, as an existing directory is never changed.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    try {
      return open();
    } catch (again) {
      throw refusal(directory, name, path, fail, again);
    }
  }
  const fd = open();
  try {
    fchownSync(fd, create.ownerUid, create.ownerGid);
    // The mode given to mkdir passes through the umask; set it exactly, after the owner.
    fchmodSync(fd, permissionsMode(create.permissions));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** The error for an entry that could not be opened as a directory: a link, a file, or else. */
function refusal(directory: number, name: string, path: string, fail: (message: string) => string, error: unknown): Error {
  const stats = lstatSync(entryPath(directory, name), { throwIfNoEntry: false });
  if (stats?.isSymbolicLink()) return forbidden(fail(`"${path}" leads outside the file system or through a symbolic link in it`), { cause: error });
  if (stats && !stats.isDirectory()) return notFound(fail(`reason given by server: Not a directory: "${path}"`), { cause: error });
  return error as Error;
}
