// Dockerfiles as data: parsing (directives, comments, continuations, flags, JSON and shell
// forms), variable substitution, build stages, what metadata instructions do to an image
// config, and the material of a build step's cache key. No I/O: the builder engine
// (src/engines/builder) runs the steps.

import { invalid } from "../../errors/mod.js";
import type { Dockerfile, Instruction } from "./_parse.js";

export { knownKeywords, parseDockerfile, type Dockerfile, type Instruction } from "./_parse.js";
export { expandWord, expandWords, keyValuePairs, type Variables } from "./_words.js";
export { resolveUser, type NumericUser } from "./_user.js";
export { applyMetadata, commandOf, defaultShell, durationNanoseconds, environment, normalizePath, type ContainerConfig } from "./_config.js";

export interface Stage {
  /** 0-based position among the FROMs. */
  index: number;
  from: Instruction;
  /** The "AS name", lower case. */
  name?: string;
  instructions: Instruction[];
}

export interface StagedDockerfile {
  /** ARGs before the first FROM: usable in FROM lines, and in a stage that declares them again. */
  globalArgs: Instruction[];
  stages: Stage[];
}

export function stagesOf(dockerfile: Dockerfile, file = "Dockerfile"): StagedDockerfile {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(instruction.args);
      if (!match) throw invalidStep(file, instruction, "expected FROM <image> [AS <name>]");
      const stage: Stage = { index: stages.length, from: instruction, instructions: [] };
      if (match[2]) stage.name = match[2].toLowerCase();
      stages.push(stage);
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG") throw invalidStep(file, instruction, "the first instruction must be FROM (or ARG)");
      globalArgs.push(instruction);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw invalid(`${file}: no FROM instruction`);
  return { globalArgs, stages };
}

function invalidStep(file: string, instruction: Instruction, why: string): Error {
  return invalid(`${file}:${instruction.line}: ${instruction.text}: ${why}`);
}

export interface CacheKeyInput {
  /** The cache key of the step before (for a FROM, the base image's id). */
  parent: string;
  /** The instruction's text after variable substitution. */
  text: string;
  /** Build arguments in effect for a RUN (they reach its environment). */
  buildArgs?: ReadonlyArray<readonly [string, string]>;
  /** The digest of the files a COPY or ADD reads. */
  contentDigest?: string;
}

/** What a step's cache key hashes, as Docker keys its cache: the parent, the instruction, its inputs. */
export function cacheKeyMaterial(input: CacheKeyInput): string {
  const buildArgs = [...(input.buildArgs ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => `${key}=${value}`);
  return JSON.stringify([input.parent, input.text, buildArgs, input.contentDigest ?? ""]);
}
