// Access-point rules: the root directory path (at most four components, none starting with a
// dot, no shell metacharacters), the POSIX user, and the per-file-system quota.

import { quote } from "../../errors/mod.js";
import { badRequest } from "./_errors.js";
import type { AccessPointSpec, RootDirectory } from "./_objects.js";
import { tagsFromWire, type WireTag } from "./_tags.js";

/** Access points per file system: AWS's current default quota, which Moor keeps everywhere. */
export const accessPointsPerFileSystemMax = 10_000;
const pathComponentsMax = 4;
const forbiddenPathCharacters = /[$#<>;`|&?{}^*\n]/;

export interface CreateAccessPointInput {
  ClientToken: string;
  FileSystemId: string;
  PosixUser?: { Uid: number; Gid: number; SecondaryGids?: number[] };
  RootDirectory?: { Path?: string; CreationInfo?: { OwnerUid: number; OwnerGid: number; Permissions: string } };
  Tags?: WireTag[];
}

/** Throws BadRequest unless `path` is "/" or one to four clean components. */
export function checkRootDirectoryPath(path: string, action: string): void {
  const fail = (state: string) => {
    throw badRequest(`${action}: RootDirectory.Path ${quote(path)} ${state}`);
  };
  if (path === "/") return;
  if (!path.startsWith("/")) fail("must start with /");
  const components = path.slice(1).split("/");
  if (components.length > pathComponentsMax) fail(`has ${components.length} components; at most ${pathComponentsMax} are allowed`);
  for (const component of components) {
    if (component === "") fail("has an empty component");
    if (component.startsWith(".")) fail(`has the component ${quote(component)}, which starts with a dot`);
    const bad = forbiddenPathCharacters.exec(component);
    if (bad) fail(`contains the character ${quote(bad[0])}`);
  }
}

/** The spec of a new access point from its (shape-checked) request. */
export function newAccessPointSpec(input: CreateAccessPointInput, fileSystemId: string, action: string): AccessPointSpec {
  const rootDirectory: RootDirectory = { path: input.RootDirectory?.Path ?? "/" };
  checkRootDirectoryPath(rootDirectory.path, action);
  const creationInfo = input.RootDirectory?.CreationInfo;
  if (creationInfo) {
    rootDirectory.creationInfo = { ownerUid: creationInfo.OwnerUid, ownerGid: creationInfo.OwnerGid, permissions: creationInfo.Permissions };
  }
  const user = input.PosixUser;
  return {
    clientToken: input.ClientToken,
    fileSystemId,
    ...(user ? { posixUser: { uid: user.Uid, gid: user.Gid, secondaryGids: user.SecondaryGids ?? [] } } : {}),
    rootDirectory,
    tags: tagsFromWire(input.Tags, action),
  };
}
