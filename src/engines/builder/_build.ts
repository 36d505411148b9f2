// The build loop: stages in order, each step looked up in the step cache first (keyed as
// Docker keys it: the parent step, the instruction after substitution, the build arguments a
// RUN sees, the digest of the files a COPY or ADD reads), run on a miss, and reported as
// "Step N/M : ..." with " ---> Using cache" on a hit. A failure names the Dockerfile line.

import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { invalid, isMoorError, MoorError, notFound } from "../../errors/mod.js";
import { ensureBusybox, normalizeReference, type Image, type ImageStore } from "../images/mod.js";
import { cacheKeyMaterial, environment, expandWord, expandWords, parseDockerfile, stagesOf, type Instruction, type Stage } from "../../domain/dockerfile/mod.js";
import { ensureBaseImage, isBaseImage } from "./_base.js";
import { executeStep, type StepContext } from "./_execute.js";
import { emptyState, imageIdOf, sha256, StepCache, type BuildState } from "./_state.js";

export interface BuildOptions {
  /** The build context: COPY and ADD read from here. */
  contextDirectory: string;
  /** Default: Dockerfile in the context. */
  dockerfile?: string;
  tags: string[];
  buildArgs: Record<string, string>;
  /** The machine's cache (base images). */
  cacheDirectory: string;
  /** The step cache of this image store. */
  stepCacheDirectory: string;
  runcRoot: string;
  output: (text: string) => void;
  noCache?: boolean;
  now?: () => Date;
}

export interface BuildResult {
  image: Image;
  steps: number;
  cachedSteps: number;
}

export async function buildImage(store: ImageStore, options: BuildOptions): Promise<BuildResult> {
  const path = resolve(options.contextDirectory, options.dockerfile ?? "Dockerfile");
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw notFound(`Cannot build: no Dockerfile at ${JSON.stringify(path)}`);
  }
  const parsed = parseDockerfile(text, file);
  const staged = stagesOf(parsed, file);
  const total = staged.globalArgs.length + staged.stages.reduce((sum, stage) => sum + 1 + stage.instructions.length, 0);
  const cache = new StepCache(options.stepCacheDirectory, store);
  const consumed = new Set<string>();
  const globals = new Map<string, string>();
  const context: StepContext = { store, options, file, escape: parsed.escape, consumed, globals, stages: [], counter: { step: 0, total, cached: 0 } };
  context.findImage = (reference) => findImage(context, reference);
  for (const instruction of staged.globalArgs) {
    announce(context, instruction);
    declareArgs(context, instruction, globals, new Map());
  }
  let state = emptyState();
  for (const stage of staged.stages) {
    state = await buildStage(context, stage, cache);
    context.stages.push({ stage, state });
  }
  const unused = Object.keys(options.buildArgs).filter((key) => !consumed.has(key));
  if (unused.length) options.output(`[Warning] One or more build-args [${unused.join(" ")}] were not consumed\n`);
  const image = await store.add({ references: options.tags, configJson: JSON.stringify(state.file), layers: sizedLayers(state) });
  options.output(`Successfully built ${image.id.slice(7, 19)}\n`);
  for (const tag of options.tags) options.output(`Successfully tagged ${tag}\n`);
  return { image, steps: context.counter.step, cachedSteps: context.counter.cached };
}

function sizedLayers(state: BuildState) {
  return state.file.rootfs.diff_ids.map((diffId, index) => ({
    diffId,
    sizeBytes: state.layerSizes[index] ?? 0,
    unpack: async () => {
      throw new Error(`layer ${diffId} vanished from the image store during the build`);
    },
  }));
}

function announce(context: StepContext, instruction: Instruction): void {
  context.counter.step++;
  context.options.output(`Step ${context.counter.step}/${context.counter.total} : ${instruction.text}\n`);
}

/** ARG name[=default] ...: a --build-arg wins, then the default, then a global ARG's value. */
export function declareArgs(context: StepContext, instruction: Instruction, into: Map<string, string>, variables: Map<string, string>): void {
  for (const word of expandWords(instruction.args, variables, context.escape)) {
    const equals = word.indexOf("=");
    const name = equals < 0 ? word : word.slice(0, equals);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalid(`invalid ARG name "${name}"`);
    const given = context.options.buildArgs[name];
    if (given !== undefined) context.consumed.add(name);
    const value = given ?? (equals < 0 ? context.globals.get(name) : word.slice(equals + 1));
    if (value !== undefined) into.set(name, value);
  }
}

async function buildStage(context: StepContext, stage: Stage, cache: StepCache): Promise<BuildState> {
  announce(context, stage.from);
  let state = await located(context, stage.from, () => fromState(context, stage));
  context.options.output(` ---> ${imageIdOf(state).slice(7, 19)}\n`);
  const args = new Map<string, string>();
  for (const instruction of stage.instructions) {
    announce(context, instruction);
    const variables = new Map([...args, ...environment(state.file.config)]);
    if (instruction.keyword === "ARG") declareArgs(context, instruction, args, variables);
    state = await located(context, instruction, () => executeStep(context, { state, instruction, variables, args, cache }));
    context.options.output(` ---> ${imageIdOf(state).slice(7, 19)}\n`);
  }
  return state;
}

async function fromState(context: StepContext, stage: Stage): Promise<BuildState> {
  const reference = expandWord(stage.from.args.split(/\s+/)[0]!, context.globals, context.escape);
  if (reference === "scratch") return emptyState();
  const earlier = context.stages.find((entry) => entry.stage.name === reference.toLowerCase());
  if (earlier) return earlier.state;
  const image = await findImage(context, reference);
  const file = JSON.parse(context.store.configJson(image)) as BuildState["file"];
  file.history ??= [];
  const sizes = image.layers.map((_, index) => (index === 0 ? image.sizeBytes : 0));
  return { file, layerSizes: sizes, key: sha256(cacheKeyMaterial({ parent: image.id, text: `FROM ${reference}` })) };
}

/** An image by reference: in the store, or made here (Debian base images, busybox). */
export async function findImage(context: StepContext, reference: string): Promise<Image> {
  const found = context.store.find(reference);
  if (found) return found;
  if (isBaseImage(reference)) {
    return ensureBaseImage(context.store, reference, { cacheDirectory: context.options.cacheDirectory, output: (line) => context.options.output(`${line}\n`) });
  }
  let normalized = "";
  try {
    normalized = normalizeReference(reference);
  } catch {
    throw invalid(`invalid reference format ${JSON.stringify(reference)}`);
  }
  if (normalized === "docker.io/library/busybox:latest") return ensureBusybox(context.store);
  throw notFound(`no such image ${JSON.stringify(reference)} in Moor's image store (load it, pull it, or build it first)`);
}

/** Runs a step; a failure is said with the Dockerfile's name, the line and the instruction. */
async function located<T>(context: StepContext, instruction: Instruction, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const message = `${context.file}:${instruction.line}: ${instruction.text}: ${(error as Error).message}`;
    if (isMoorError(error)) throw new MoorError(error.category, message, { cause: error });
    throw invalid(message, { cause: error });
  }
}
