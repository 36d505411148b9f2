// Layers the builder makes: a directory (a RUN's overlay upper directory, or the files a COPY
// wrote) digested as a sorted tar stream and moved into the image store; and overlay mounts
// of an image's layers for RUN steps and for reading a stage's files.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, createReadStream, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { unavailable } from "../../errors/mod.js";
import { reproducibleTarOptions, type ImageStore, type NewLayer } from "../images/mod.js";
import { run } from "./_process.js";

export { reproducibleTarOptions };

/** sha256 and length of the tar stream of a directory's contents. */
export function digestDirectory(directory: string, sourceDateEpoch?: number): Promise<{ digest: string; sizeBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("tar", [...reproducibleTarOptions(sourceDateEpoch), "-C", directory, "-cf", "-", "."], { stdio: ["ignore", "pipe", "pipe"] });
    const hash = createHash("sha256");
    let sizeBytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      sizeBytes += chunk.length;
    });
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(unavailable(`Cannot digest layer ${directory}: tar exited with ${code}: ${stderr.trim()}`));
      resolve({ digest: `sha256:${hash.digest("hex")}`, sizeBytes });
    });
  });
}

export function digestFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(`sha256:${hash.digest("hex")}`));
  });
}

/** A layer whose files are moved (not copied) from `directory` into the store on unpack. */
export async function layerFromDirectory(directory: string): Promise<NewLayer> {
  const { digest, sizeBytes } = await digestDirectory(directory);
  return {
    diffId: digest,
    sizeBytes,
    unpack: async (target) => {
      chmodSync(target, statSync(directory).mode & 0o7777);
      for (const entry of readdirSync(directory)) renameSync(join(directory, entry), join(target, entry));
    },
  };
}

/** Layers already in the store; a missing one is an error (the cache checks before). */
export function existingLayers(diffIds: string[]): NewLayer[] {
  return diffIds.map((diffId) => ({
    diffId,
    sizeBytes: 0,
    unpack: async () => {
      throw unavailable(`Cannot build on layer ${diffId}: it is no longer in the image store`);
    },
  }));
}

export function layersPresent(store: ImageStore, diffIds: string[]): boolean {
  return diffIds.every((diffId) => existsSync(store.layerDirectory(diffId)));
}

/** Mounts the layers (bottom first) at `merged`, writable through `upper` when given. */
export async function mountLayers(store: ImageStore, diffIds: string[], merged: string, writable?: { upper: string; work: string }): Promise<void> {
  const lowers = [...diffIds].reverse().map((diffId) => store.layerDirectory(diffId));
  mkdirSync(merged, { recursive: true });
  if (lowers.length === 0) {
    const empty = `${merged}.empty`;
    mkdirSync(empty, { recursive: true });
    lowers.push(empty);
  }
  // A read-only overlay needs two lower directories; one alone is bound read-only instead.
  if (!writable && lowers.length === 1) {
    await run("mount", ["--bind", "-o", "ro", lowers[0]!, merged]);
    return;
  }
  const options = [`lowerdir=${lowers.join(":")}`];
  if (writable) options.push(`upperdir=${writable.upper}`, `workdir=${writable.work}`);
  await run("mount", ["-t", "overlay", "overlay", "-o", options.join(","), merged]);
}

export async function unmount(path: string): Promise<void> {
  await run("umount", ["-l", path], { allowFailure: true });
}

/** Whether a path exists in the image the layers make (top layer first wins; whiteouts hide). */
export function existsInLayers(store: ImageStore, diffIds: string[], path: string): "directory" | "other" | undefined {
  for (const diffId of [...diffIds].reverse()) {
    try {
      const stat = lstatSync(join(store.layerDirectory(diffId), path));
      if (stat.isCharacterDevice() && stat.rdev === 0) return undefined;
      return stat.isDirectory() ? "directory" : "other";
    } catch {
      // Not in this layer.
    }
  }
  return undefined;
}
