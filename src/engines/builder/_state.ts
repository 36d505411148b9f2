// A build's state between steps: the image config file so far (config, layers, history), the
// sizes of its layers, and the cache key of the last step; and the step cache on disk, one
// file per key, valid while the layers it names are still in the store.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImageStore } from "../images/mod.js";
import type { ContainerConfig } from "../../domain/dockerfile/mod.js";
import { layersPresent } from "./_layers.js";

export interface ConfigFile {
  architecture: string;
  os: string;
  created: string;
  config: ContainerConfig;
  rootfs: { type: "layers"; diff_ids: string[] };
  history: Array<{ created: string; created_by: string; empty_layer?: boolean }>;
}

export interface BuildState {
  file: ConfigFile;
  layerSizes: number[];
  key: string;
}

export function imageIdOf(state: BuildState): string {
  return `sha256:${sha256(JSON.stringify(state.file))}`;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function emptyState(): BuildState {
  return { file: { architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z", config: {}, rootfs: { type: "layers", diff_ids: [] }, history: [] }, layerSizes: [], key: "scratch" };
}

/** The state after a step, with its history entry (and its layer, if it made one). */
export function nextState(state: BuildState, step: { key: string; createdBy: string; now: string; config?: ContainerConfig; layer?: { diffId: string; sizeBytes: number } }): BuildState {
  const file: ConfigFile = structuredClone(state.file);
  if (step.config) file.config = step.config;
  file.created = step.now;
  file.history.push({ created: step.now, created_by: step.createdBy, ...(step.layer ? {} : { empty_layer: true }) });
  const layerSizes = [...state.layerSizes];
  if (step.layer) {
    file.rootfs.diff_ids.push(step.layer.diffId);
    layerSizes.push(step.layer.sizeBytes);
  }
  return { file, layerSizes, key: step.key };
}

export class StepCache {
  private readonly directory: string;
  private readonly store: ImageStore;

  constructor(directory: string, store: ImageStore) {
    this.directory = directory;
    this.store = store;
    mkdirSync(directory, { recursive: true });
  }

  get(key: string): BuildState | undefined {
    let state: BuildState;
    try {
      state = JSON.parse(readFileSync(join(this.directory, `${key}.json`), "utf8")) as BuildState;
    } catch {
      return undefined;
    }
    return layersPresent(this.store, state.file.rootfs.diff_ids) ? state : undefined;
  }

  put(state: BuildState): void {
    const path = join(this.directory, `${state.key}.json`);
    writeFileSync(`${path}.tmp`, JSON.stringify(state));
    renameSync(`${path}.tmp`, path);
  }
}
