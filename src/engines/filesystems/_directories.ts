// File-system data directories on the backing store (where: _layout.ts), created 0755 root:root
// (AWS: a fresh file system's `/` is owned by root with mode 0755). Removal renames the
// directory into `<root>/.trash` at once, so the file system's data disappears atomically, and
// deletes it in the background; leftovers from a crash are purged at the next start. Deletion
// inside the trash goes by descriptors (_beneath.ts): a process that still has a directory of the
// removed tree as its working directory could plant links there, and none may be followed.

import { constants } from "node:fs";
import { chown, chmod, mkdir, readdir, rename, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { forbidden, invalid } from "../../errors/mod.js";
import { openPathFlag, removeEntry, withBeneath, withDirectory } from "./_beneath.js";
import { accessPointDirectory, fileSystemDirectory, trashDirectory } from "./_layout.js";

export class DataDirectories {
  readonly root: string;
  readonly #purges = new Set<Promise<void>>();

  constructor(root: string) {
    this.root = root;
  }

  dataPath(fileSystemId: string): string {
    return fileSystemDirectory(this.root, fileSystemId);
  }

  async exists(fileSystemId: string): Promise<boolean> {
    try {
      return (await stat(this.dataPath(fileSystemId))).isDirectory();
    } catch {
      return false;
    }
  }

  async create(fileSystemId: string): Promise<void> {
    const path = this.dataPath(fileSystemId);
    await mkdir(this.root, { recursive: true });
    try {
      await mkdir(path, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      return;
    }
    // The mode given to mkdir passes through the umask; set it exactly.
    await chmod(path, 0o755);
    if (process.getuid?.() === 0) await chown(path, 0, 0);
  }

  async remove(fileSystemId: string): Promise<void> {
    const path = this.dataPath(fileSystemId);
    const trash = trashDirectory(this.root);
    await mkdir(trash, { recursive: true, mode: 0o700 });
    const retired = join(trash, `${fileSystemId}.${Date.now()}`);
    try {
      await rename(path, retired);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    this.#purge(retired);
  }

  /** Deletes whatever a previous run left in the trash. */
  async purgeTrash(): Promise<void> {
    const trash = trashDirectory(this.root);
    let names: string[];
    try {
      names = await readdir(trash);
    } catch {
      return;
    }
    await Promise.all(names.map((name) => this.#purge(join(trash, name))));
  }

  /** Waits for background deletions (at stop). */
  async settle(): Promise<void> {
    await Promise.all([...this.#purges]);
  }

  #purge(path: string): Promise<void> {
    const purge = withDirectory(dirname(path), (trash) => removeEntry(trash, basename(path)))
      .catch((error) => console.error(`moor: removing the data directory "${path}" failed:`, error))
      .finally(() => this.#purges.delete(purge));
    this.#purges.add(purge);
    return purge;
  }
}

/**
 * Removes the directory `path` ("/dynamic/pvc-1") of a file system and everything in it, resolved
 * beneath the file system's root through no symbolic link: never the root itself, never outside
 * it. A path that does not exist is no error; one that leads through a link is refused.
 */
export async function removeDirectoryInFileSystem(backingRoot: string, fileSystemId: string, path: string): Promise<void> {
  const refuse = (reason: string) => `Cannot delete directory "${path}" of file system "${fileSystemId}": ${reason}`;
  const target = accessPointDirectory(backingRoot, fileSystemId, path);
  // Never the file system's root, never outside it (aws-efs-csi-driver#1085 wiped whole file systems).
  if (!target) throw invalid(refuse("it is the root or outside it"));
  const inside = target.slice(fileSystemDirectory(backingRoot, fileSystemId).length);
  await withDirectory(fileSystemDirectory(backingRoot, fileSystemId), (root) =>
    withBeneath(root, dirname(inside), openPathFlag | constants.O_DIRECTORY, (parent) => removeEntry(parent, basename(inside))),
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return;
    if (error.code === "ELOOP" || error.code === "ENOTDIR" || error.code === "EXDEV") throw forbidden(refuse("it leads through a symbolic link"), { cause: error });
    throw error;
  });
}
