// Safe resolution on the backing store: whoever can write into a file system (a sandbox through
// a mount) can plant symbolic links in it, so every path Moor acts on inside a file system is
// resolved from a descriptor of its root, beneath it, through no symbolic link at all, and the
// action is then made on descriptors (or on `/proc/self/fd/N/<name>`, whose last component is
// never followed by the calls used here). With the native shim this is one openat2(2) with
// RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS; without it, a walk that opens
// one component at a time with O_NOFOLLOW. Either way ".." and links are refused: EXDEV for a
// ".." and ELOOP (or ENOTDIR) for a link, as openat2 reports them.

import { closeSync, constants, existsSync, fstatSync, openSync } from "node:fs";
import { readdir, rmdir, unlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { constants as systemConstants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** O_PATH (Linux): a descriptor that names a file without opening it; Node has no constant for it. */
export const openPathFlag = 0o10000000;

interface BeneathShim {
  openBeneath(rootFd: number, path: string, flags: number, mode: number): number;
}

let shim: BeneathShim | null | undefined;

/** The native shim (native/build/moor_fuse.node), when it is built and has openBeneath. */
function loadShim(): BeneathShim | null {
  if (shim !== undefined) return shim;
  shim = null;
  if (process.env.MOOR_FUSE_NATIVE === "0") return shim;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth += 1, directory = dirname(directory)) {
    const candidate = join(directory, "native", "build", "moor_fuse.node");
    if (!existsSync(candidate)) continue;
    try {
      const loaded = createRequire(import.meta.url)(candidate) as Partial<BeneathShim>;
      if (typeof loaded.openBeneath === "function") shim = loaded as BeneathShim;
    } catch {
      // Without the shim the descriptor walk below does the same, one component at a time.
    }
    break;
  }
  return shim;
}

const errnoNumbers = systemConstants.errno as Record<string, number>;

function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} "${path}" beneath its root`), { code, errno: -(errnoNumbers[code] ?? 0), syscall, path });
}

function errnoCode(number: number): string {
  return Object.keys(errnoNumbers).find((code) => errnoNumbers[code] === number) ?? "EIO";
}

/** The path of `name` in the directory `directoryFd`: its last component is `name` itself. */
export function entryPath(directoryFd: number, name: string): string {
  return `/proc/self/fd/${directoryFd}/${name}`;
}

/** The components of a path inside a file system ("/a/b", "a/./b"), refusing "..". */
function components(path: string): string[] {
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw errnoError("EXDEV", "open", path);
  return parts;
}

/**
 * Opens `path` (relative to the directory `rootFd`; a leading "/" means that directory) beneath
 * it without following any symbolic link; `flags` as open(2). A final link opened with O_PATH
 * gives a descriptor of the link itself; otherwise a link anywhere is ELOOP or ENOTDIR.
 */
export function openBeneath(rootFd: number, path: string, flags: number, mode = 0): number {
  const parts = components(path);
  const native = loadShim();
  if (native) {
    const fd = native.openBeneath(rootFd, parts.join("/"), flags | constants.O_NOFOLLOW, mode);
    if (fd < 0) throw errnoError(errnoCode(-fd), "openat2", path);
    return fd;
  }
  return walkBeneath(rootFd, parts, flags, mode);
}

/** openBeneath without the shim: one component at a time, each opened with O_NOFOLLOW. */
export function walkBeneath(rootFd: number, parts: string[], flags: number, mode = 0): number {
  const path = parts.join("/");
  let directory = rootFd;
  try {
    for (const part of parts.slice(0, -1)) {
      const next = openSync(entryPath(directory, part), openPathFlag | constants.O_NOFOLLOW);
      if (directory !== rootFd) closeSync(directory);
      directory = next;
      const stats = fstatSync(directory);
      if (stats.isSymbolicLink()) throw errnoError("ELOOP", "open", path);
      if (!stats.isDirectory()) throw errnoError("ENOTDIR", "open", path);
    }
    return openSync(entryPath(directory, parts.at(-1) ?? "."), flags | constants.O_NOFOLLOW, mode);
  } finally {
    if (directory !== rootFd) closeSync(directory);
  }
}

/** Runs `action` with a descriptor of `path` opened beneath `rootFd`, closed afterwards. */
export async function withBeneath<T>(rootFd: number, path: string, flags: number, action: (fd: number) => Promise<T> | T): Promise<T> {
  const fd = openBeneath(rootFd, path, flags);
  try {
    return await action(fd);
  } finally {
    closeSync(fd);
  }
}

/** Runs `action` with an O_PATH descriptor of a directory Moor owns (a backing or file-system root). */
export async function withDirectory<T>(path: string, action: (fd: number) => Promise<T> | T): Promise<T> {
  const fd = openSync(path, openPathFlag | constants.O_DIRECTORY);
  try {
    return await action(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the entry `name` of the directory `directoryFd` and, if it is a directory, everything
 * in it, by descriptors: a link met on the way is removed, never followed, and a directory
 * swapped for a link meanwhile is refused rather than entered. Missing entries are no error.
 */
export async function removeEntry(directoryFd: number, name: string): Promise<void> {
  const path = entryPath(directoryFd, name);
  try {
    await unlink(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code !== "EISDIR" && code !== "EPERM") throw error;
  }
  await withBeneath(directoryFd, name, constants.O_RDONLY | constants.O_DIRECTORY, async (fd) => {
    for (const entry of await readdir(`/proc/self/fd/${fd}`)) await removeEntry(fd, entry);
  });
  await rmdir(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}
