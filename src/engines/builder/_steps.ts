// The steps that change files: RUN (in a sandbox), COPY and ADD (into a fresh layer directory),
// and WORKDIR when its directory is missing. Each returns the layer it made, already in the
// image store, so a later step, a cache hit or a pod can use it.

import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { invalid, unavailable } from "../../errors/mod.js";
import type { ImageStore } from "../images/mod.js";
import { environment, resolveUser, type ContainerConfig, type NumericUser } from "../../domain/dockerfile/mod.js";
import { copyInto, type CopyRequest } from "./_copy.js";
import { existingLayers, existsInLayers, layerFromDirectory } from "./_layers.js";
import { runInSandbox } from "./_sandbox.js";
import type { BuildState } from "./_state.js";

export interface Layer {
  diffId: string;
  sizeBytes: number;
}

const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Puts the directory's files into the store as the next layer on top of the state's. */
async function commit(store: ImageStore, state: BuildState, directory: string): Promise<Layer> {
  const layer = await layerFromDirectory(directory);
  const configJson = JSON.stringify({ ...state.file, rootfs: { type: "layers", diff_ids: [...state.file.rootfs.diff_ids, layer.diffId] } });
  await store.add({ references: [], configJson, layers: [...existingLayers(state.file.rootfs.diff_ids), layer] });
  return { diffId: layer.diffId, sizeBytes: layer.sizeBytes };
}

export interface RunStep {
  argv: string[];
  /** ARGs in effect; the image's ENV wins over them, as in Docker. */
  buildArgs: Map<string, string>;
  runcRoot: string;
  output: (chunk: string) => void;
}

export async function runStep(store: ImageStore, state: BuildState, step: RunStep): Promise<Layer> {
  const config = state.file.config;
  const env = new Map([...step.buildArgs, ...environment(config)]);
  if (!env.has("PATH")) env.set("PATH", defaultPath);
  const work = store.temporaryDirectory();
  try {
    const { code, upper } = await runInSandbox(store, state.file.rootfs.diff_ids, work, {
      argv: step.argv,
      env: [...env].map(([key, value]) => `${key}=${value}`),
      cwd: config.WorkingDir || "/",
      user: config.User ?? "",
      runcRoot: step.runcRoot,
      output: step.output,
    });
    if (code !== 0) throw unavailable(`exit code ${code}`);
    return await commit(store, state, upper);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function copyStep(store: ImageStore, state: BuildState, paths: string[], request: Omit<CopyRequest, "destinationIsDirectory">): Promise<Layer> {
  const work = store.temporaryDirectory();
  try {
    const layer = join(work, "layer");
    mkdirSync(layer, { mode: 0o755 });
    const destinationIsDirectory = existsInLayers(store, state.file.rootfs.diff_ids, request.destination) === "directory";
    await copyInto(layer, paths, { ...request, destinationIsDirectory });
    return await commit(store, state, layer);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** WORKDIR makes its directory when the image lacks it; undefined when there is nothing to do. */
export async function workdirStep(store: ImageStore, state: BuildState, config: ContainerConfig): Promise<Layer | undefined> {
  const path = config.WorkingDir ?? "/";
  if (existsInLayers(store, state.file.rootfs.diff_ids, path)) return undefined;
  const work = store.temporaryDirectory();
  try {
    const layer = join(work, "layer");
    mkdirSync(join(layer, path), { recursive: true, mode: 0o755 });
    return await commit(store, state, layer);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** "--chown=user:group" against the image's own /etc/passwd and /etc/group. */
export function ownerOf(store: ImageStore, state: BuildState, chown: string): NumericUser {
  const read = (path: string) => {
    for (const diffId of [...state.file.rootfs.diff_ids].reverse()) {
      try {
        return readFileSync(join(store.layerDirectory(diffId), path), "utf8");
      } catch {
        // Not in this layer.
      }
    }
    return "";
  };
  try {
    return resolveUser(chown, read("etc/passwd"), read("etc/group"));
  } catch (error) {
    throw invalid(`--chown=${chown}: ${(error as Error).message}`);
  }
}
