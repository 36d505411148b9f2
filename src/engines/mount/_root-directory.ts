// An access point's root directory on the backing store: created on first mount from its
// CreationInfo (every missing component gets that owner, group and mode), never changed when it
// already exists, and never allowed to lead outside the file system through a symbolic link.

import { chmod, chown, lstat, mkdir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { type AccessPointObject, permissionsMode } from "../../domain/efs/mod.js";
import { forbidden, notFound } from "../../errors/mod.js";
import { pathInFileSystem } from "../filesystems/mod.js";

export async function ensureDirectory(fileSystemRoot: string, resolution: { pathInFileSystem: string; accessPoint?: AccessPointObject }, target: string): Promise<string> {
  const fail = (message: string) => `Cannot mount "${target}": ${message}`;
  const accessPoint = resolution.accessPoint;
  const rootPath = accessPoint?.spec.rootDirectory.path ?? "/";
  if (accessPoint && rootPath !== "/") {
    const creationInfo = accessPoint.spec.rootDirectory.creationInfo;
    const missing = await missingComponents(fileSystemRoot, rootPath);
    if (missing.length > 0 && !creationInfo) {
      throw notFound(
        fail(`reason given by server: No such file or directory: the root directory "${rootPath}" of access point "${accessPoint.metadata.name}" does not exist and the access point has no CreationInfo to create it`),
      );
    }
    for (const component of missing) {
      const path = join(fileSystemRoot, component);
      await mkdir(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      await chown(path, creationInfo!.ownerUid, creationInfo!.ownerGid);
      await chmod(path, permissionsMode(creationInfo!.permissions));
    }
  }
  const source = pathInFileSystem(fileSystemRoot, resolution.pathInFileSystem);
  let real: string;
  try {
    real = await realpath(source);
  } catch {
    throw notFound(fail(`reason given by server: No such file or directory: "${resolution.pathInFileSystem}" does not exist in file system`));
  }
  const realRoot = await realpath(fileSystemRoot);
  if (real !== realRoot && !real.startsWith(`${realRoot}/`)) throw forbidden(fail(`"${resolution.pathInFileSystem}" leads outside the file system`));
  if (!(await lstat(real)).isDirectory()) throw notFound(fail(`reason given by server: Not a directory: "${resolution.pathInFileSystem}"`));
  return real;
}

/** The prefixes of `path` ("/a", "/a/b", ...) that do not exist yet, in creation order. */
async function missingComponents(root: string, path: string): Promise<string[]> {
  const parts = path.split("/").filter(Boolean);
  const missing: string[] = [];
  for (let index = 1; index <= parts.length; index++) {
    const prefix = `/${parts.slice(0, index).join("/")}`;
    try {
      await lstat(join(root, prefix));
    } catch {
      missing.push(prefix);
    }
  }
  return missing;
}
