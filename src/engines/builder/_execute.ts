// One step after FROM: its cache key, the cache lookup, and on a miss the work it does.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { invalid } from "../../errors/mod.js";
import type { Image, ImageStore } from "../images/mod.js";
import { applyMetadata, cacheKeyMaterial, commandOf, expandWord, expandWords, normalizePath, type Instruction, type Stage } from "../../domain/dockerfile/mod.js";
import type { BuildOptions } from "./_build.js";
import { digestSources, resolveSources } from "./_copy.js";
import { mountLayers, unmount } from "./_layers.js";
import { nextState, sha256, type BuildState, type StepCache } from "./_state.js";
import { copyStep, ownerOf, runStep, workdirStep, type Layer } from "./_steps.js";

export interface StepContext {
  store: ImageStore;
  options: BuildOptions;
  file: string;
  escape: string;
  consumed: Set<string>;
  globals: Map<string, string>;
  stages: Array<{ stage: Stage; state: BuildState }>;
  counter: { step: number; total: number; cached: number };
  /** Set by the build loop: an image by reference, made here when Moor can make it. */
  findImage?: (reference: string) => Promise<Image>;
}

export interface StepInput {
  state: BuildState;
  instruction: Instruction;
  variables: Map<string, string>;
  args: Map<string, string>;
  cache: StepCache;
}

export async function executeStep(context: StepContext, input: StepInput): Promise<BuildState> {
  const { state, instruction, variables } = input;
  switch (instruction.keyword) {
    case "RUN": {
      if (Object.keys(instruction.flags).length) throw invalid(`RUN --${Object.keys(instruction.flags)[0]} is not supported`);
      const argv = commandOf(instruction, state.file.config);
      const text = `RUN ${instruction.json ? JSON.stringify(instruction.json) : instruction.args}`;
      const buildArgs = [...input.args];
      return cached(context, input, { text, buildArgs }, async () => ({
        layer: await runStep(context.store, state, { argv, buildArgs: input.args, runcRoot: context.options.runcRoot, output: context.options.output }),
      }));
    }
    case "COPY":
    case "ADD":
      return copyOrAdd(context, input);
    case "WORKDIR": {
      const config = applyMetadata(state.file.config, instruction, variables, context.escape);
      return cached(context, input, { text: `WORKDIR ${config.WorkingDir}` }, async () => ({ config, layer: await workdirStep(context.store, state, config) }));
    }
    case "ARG":
      return cached(context, input, { text: instruction.text }, async () => ({}));
    default: {
      const config = applyMetadata(state.file.config, instruction, variables, context.escape);
      return cached(context, input, { text: `${instruction.keyword} ${JSON.stringify(config)}` }, async () => ({ config }));
    }
  }
}

type StepWork = () => Promise<{ config?: BuildState["file"]["config"]; layer?: Layer | undefined }>;

async function cached(context: StepContext, input: StepInput, key: { text: string; buildArgs?: Array<[string, string]>; contentDigest?: string }, work: StepWork): Promise<BuildState> {
  const stepKey = sha256(cacheKeyMaterial({ parent: input.state.key, ...key }));
  const hit = context.options.noCache ? undefined : input.cache.get(stepKey);
  if (hit) {
    context.counter.cached++;
    context.options.output(" ---> Using cache\n");
    return hit;
  }
  const done = await work();
  const now = (context.options.now?.() ?? new Date()).toISOString();
  const state = nextState(input.state, { key: stepKey, createdBy: input.instruction.text, now, config: done.config, layer: done.layer });
  input.cache.put(state);
  return state;
}

async function copyOrAdd(context: StepContext, input: StepInput): Promise<BuildState> {
  const { state, instruction, variables } = input;
  const words = instruction.json ?? expandWords(instruction.args, variables, context.escape);
  if (words.length < 2) throw invalid(`${instruction.keyword} needs at least one source and a destination`);
  const sources = words.slice(0, -1);
  const written = words.at(-1)!;
  const workdir = state.file.config.WorkingDir || "/";
  const destination = written.startsWith("/") ? written : `${normalizePath(`${workdir}/${written}`)}${written.endsWith("/") || written === "." ? "/" : ""}`;
  const from = instruction.flags.from === undefined ? undefined : expandWord(instruction.flags.from, variables, context.escape);
  if (from !== undefined && instruction.keyword === "ADD") throw invalid("ADD --from is not supported; use COPY --from");
  const view = from === undefined ? undefined : await sourceView(context, from);
  try {
    const sourceRoot = view?.path ?? context.options.contextDirectory;
    const fromContext = view === undefined;
    const paths = resolveSources({ sources, sourceRoot, fromContext });
    const chown = instruction.flags.chown === undefined ? undefined : expandWord(instruction.flags.chown, variables, context.escape);
    const text = `${instruction.keyword} ${JSON.stringify({ from: view?.id ?? "context", chown, chmod: instruction.flags.chmod, sources, destination })}`;
    return await cached(context, input, { text, contentDigest: digestSources(paths) }, async () => ({
      layer: await copyStep(context.store, state, paths, {
        sources,
        destination,
        sourceRoot,
        fromContext,
        ...(chown ? { owner: ownerOf(context.store, state, chown) } : {}),
        ...(instruction.flags.chmod ? { mode: instruction.flags.chmod } : {}),
        extractArchives: instruction.keyword === "ADD",
      }),
    }));
  } finally {
    if (view) await view.release();
  }
}

/** COPY --from: an earlier stage (by name or index) or an image, mounted read-only. */
async function sourceView(context: StepContext, from: string): Promise<{ path: string; id: string; release(): Promise<void> }> {
  const byName = context.stages.find((entry) => entry.stage.name === from.toLowerCase() || String(entry.stage.index) === from);
  const diffIds = byName ? byName.state.file.rootfs.diff_ids : (await context.findImage!(from)).layers;
  const id = byName ? byName.state.key : `image:${from}`;
  const work = context.store.temporaryDirectory();
  const path = join(work, "view");
  await mountLayers(context.store, diffIds, path);
  return {
    path,
    id,
    release: async () => {
      await unmount(path);
      rmSync(work, { recursive: true, force: true });
    },
  };
}
