// COPY and ADD: the files they read (from the build context or another stage's file system),
// a digest of those files for the cache key, and the layer directory they write, with Docker's
// rules for the destination (a trailing "/" or several sources mean a directory) and owners
// (context files become root's unless --chown says otherwise). ADD also unpacks local tar
// archives (plain, gzip, bzip2, xz); ADD from a URL is refused.

import { createHash, type Hash } from "node:crypto";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { invalid, unsupported } from "../../errors/mod.js";
import { normalizePath } from "../../domain/dockerfile/mod.js";
import { run } from "./_process.js";

export interface CopyRequest {
  /** Source paths as written (after substitution), relative to the source root. */
  sources: string[];
  /** The destination inside the image, absolute. */
  destination: string;
  /** Whether the destination already is a directory in the image. */
  destinationIsDirectory: boolean;
  /** The build context, or the mounted file system of a stage or image (COPY --from). */
  sourceRoot: string;
  fromContext: boolean;
  owner?: { uid: number; gid: number };
  mode?: string;
  extractArchives: boolean;
}

/** Each source pattern's matching paths (absolute, inside the source root). */
export function resolveSources(request: Pick<CopyRequest, "sources" | "sourceRoot" | "fromContext">): string[] {
  const resolved: string[] = [];
  for (const source of request.sources) {
    if (/^[a-z]+:\/\//i.test(source)) throw unsupported(`ADD from a URL is not supported: ${source}`);
    const inside = normalizePath(source);
    const directory = dirname(inside);
    const name = basename(inside);
    const where = request.fromContext ? "the build context" : "the source image";
    if (/[*?[]/.test(name)) {
      const pattern = new RegExp(`^${name.replace(/[.+^${}()|\\]/g, "\\$&").replaceAll("*", "[^/]*").replaceAll("?", "[^/]")}$`);
      let entries: string[] = [];
      try {
        entries = readdirSync(join(request.sourceRoot, directory)).filter((entry) => pattern.test(entry)).sort();
      } catch {
        // No such directory: no match.
      }
      if (entries.length === 0) throw invalid(`no source files were specified by ${JSON.stringify(source)} in ${where}`);
      resolved.push(...entries.map((entry) => join(request.sourceRoot, directory, entry)));
      continue;
    }
    const path = join(request.sourceRoot, inside);
    if (!existsSync(path) && !isSymlink(path)) throw invalid(`no such file ${JSON.stringify(source)} in ${where}`);
    resolved.push(path);
  }
  return resolved;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** sha256 over the sources' names, modes, link targets and contents (not their times or owners). */
export function digestSources(paths: string[]): string {
  const hash = createHash("sha256");
  for (const path of paths) hashTree(hash, path, basename(path));
  return `sha256:${hash.digest("hex")}`;
}

function hashTree(hash: Hash, path: string, name: string): void {
  const stat = lstatSync(path);
  hash.update(`${name}\0${stat.mode}\0`);
  if (stat.isSymbolicLink()) hash.update(readlinkSync(path));
  else if (stat.isFile()) hash.update(readFileSync(path));
  else if (stat.isDirectory()) for (const entry of readdirSync(path).sort()) hashTree(hash, join(path, entry), `${name}/${entry}`);
  hash.update("\0");
}

/** Writes the sources into `layer` (an empty directory) at the destination. */
export async function copyInto(layer: string, paths: string[], request: CopyRequest): Promise<void> {
  const intoDirectory = request.destination.endsWith("/") || paths.length > 1 || request.destinationIsDirectory;
  const destination = join(layer, normalizePath(request.destination));
  const written: string[] = [];
  for (const path of paths) {
    const stat = lstatSync(path);
    if (request.extractArchives && stat.isFile() && isArchive(path)) {
      mkdirSync(destination, { recursive: true });
      await run("tar", ["-xf", path, "-C", destination, "--numeric-owner", "-p"]);
      // The archive's own owners and modes stay, as Docker keeps them.
      continue;
    }
    if (stat.isDirectory()) {
      mkdirSync(destination, { recursive: true });
      const entries = readdirSync(path);
      if (entries.length > 0) await run("cp", ["-a", "--", ...entries.map((entry) => join(path, entry)), `${destination}/`]);
      written.push(...entries.map((entry) => join(destination, entry)));
      continue;
    }
    const target = intoDirectory ? join(destination, basename(path)) : destination;
    mkdirSync(dirname(target), { recursive: true });
    await run("cp", ["-a", "--", path, target]);
    written.push(target);
  }
  const owner = request.owner ?? (request.fromContext ? { uid: 0, gid: 0 } : undefined);
  if (owner && written.length > 0) await run("chown", ["-R", "-h", `${owner.uid}:${owner.gid}`, "--", ...written]);
  if (request.mode && written.length > 0) await run("chmod", ["-R", request.mode, "--", ...written]);
}

/** A tar archive by its first bytes, as Docker recognises one: plain, gzip, bzip2 or xz. */
function isArchive(path: string): boolean {
  const header = Buffer.alloc(512);
  const descriptor = openSync(path, "r");
  let length: number;
  try {
    length = readSync(descriptor, header, 0, 512, 0);
  } finally {
    closeSync(descriptor);
  }
  if (header[0] === 0x1f && header[1] === 0x8b) return true;
  if (header.subarray(0, 3).toString("latin1") === "BZh") return true;
  if (header.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return true;
  return length >= 262 && header.subarray(257, 262).toString("latin1") === "ustar";
}
