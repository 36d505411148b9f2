// What the metadata instructions (ENV, LABEL, EXPOSE, VOLUME, CMD, ENTRYPOINT, USER, WORKDIR,
// HEALTHCHECK, STOPSIGNAL, SHELL) do to an image's config, as Docker records them.

import { invalid } from "../../errors/mod.js";
import type { Instruction } from "./_parse.js";
import { expandWord, expandWords, keyValuePairs, type Variables } from "./_words.js";

/** The OCI image config's "config" object, with Docker's Healthcheck and Shell. */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  Shell?: string[];
}

export const defaultShell = ["/bin/sh", "-c"];

/** The environment a config declares, as a map (later entries win). */
export function environment(config: ContainerConfig): Map<string, string> {
  const variables = new Map<string, string>();
  for (const entry of config.Env ?? []) {
    const equals = entry.indexOf("=");
    variables.set(equals < 0 ? entry : entry.slice(0, equals), equals < 0 ? "" : entry.slice(equals + 1));
  }
  return variables;
}

/** The command an exec-form or shell-form instruction runs. */
export function commandOf(instruction: Instruction, config: ContainerConfig): string[] {
  return instruction.json ?? [...(config.Shell ?? defaultShell), instruction.args];
}

/** The config after a metadata instruction; `variables` are the stage's ARGs and ENVs. */
export function applyMetadata(config: ContainerConfig, instruction: Instruction, variables: Variables, escape: string): ContainerConfig {
  const next: ContainerConfig = structuredClone(config);
  const args = instruction.args;
  switch (instruction.keyword) {
    case "ENV": {
      const env = environment(next);
      for (const [key, value] of keyValuePairs(args, variables, escape)) env.set(key, value);
      next.Env = [...env].map(([key, value]) => `${key}=${value}`);
      break;
    }
    case "LABEL":
      next.Labels = { ...next.Labels, ...Object.fromEntries(keyValuePairs(args, variables, escape)) };
      break;
    case "EXPOSE":
      for (const port of expandWords(args, variables, escape)) {
        next.ExposedPorts = { ...next.ExposedPorts, [port.includes("/") ? port.toLowerCase() : `${port}/tcp`]: {} };
      }
      break;
    case "VOLUME":
      for (const path of instruction.json ?? expandWords(args, variables, escape)) next.Volumes = { ...next.Volumes, [path]: {} };
      break;
    case "CMD":
      next.Cmd = commandOf(instruction, next);
      break;
    case "ENTRYPOINT":
      // A new entrypoint drops the CMD the base image had, as Docker does.
      next.Entrypoint = commandOf(instruction, next);
      next.Cmd = null;
      break;
    case "USER":
      next.User = expandWord(args, variables, escape);
      break;
    case "WORKDIR": {
      const path = expandWord(args, variables, escape);
      next.WorkingDir = normalizePath(path.startsWith("/") ? path : `${next.WorkingDir ?? "/"}/${path}`);
      break;
    }
    case "STOPSIGNAL":
      next.StopSignal = expandWord(args, variables, escape);
      break;
    case "SHELL":
      if (!instruction.json) throw invalid(`SHELL requires the arguments to be in JSON form`);
      next.Shell = instruction.json;
      break;
    case "HEALTHCHECK":
      next.Healthcheck = healthcheck(instruction);
      break;
    default:
      throw invalid(`${instruction.keyword} is not a metadata instruction`);
  }
  return next;
}

function healthcheck(instruction: Instruction): ContainerConfig["Healthcheck"] {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(instruction.args);
  const kind = match?.[1]?.toUpperCase();
  if (kind === "NONE") return { Test: ["NONE"] };
  if (kind !== "CMD") throw invalid(`HEALTHCHECK needs CMD or NONE`);
  const rest = match![2]!;
  let json: string[] | undefined;
  try {
    const value = JSON.parse(rest) as unknown;
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) json = value as string[];
  } catch {
    // The shell form.
  }
  const check: NonNullable<ContainerConfig["Healthcheck"]> = { Test: json ? ["CMD", ...json] : ["CMD-SHELL", rest] };
  const flags = instruction.flags;
  if (flags.interval) check.Interval = durationNanoseconds(flags.interval);
  if (flags.timeout) check.Timeout = durationNanoseconds(flags.timeout);
  if (flags["start-period"]) check.StartPeriod = durationNanoseconds(flags["start-period"]);
  if (flags.retries) check.Retries = Number(flags.retries);
  return check;
}

/** Go's duration syntax as Docker takes it ("30s", "1m30s", "500ms") in nanoseconds. */
export function durationNanoseconds(text: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/.exec(rest);
    if (!match) throw invalid(`Cannot read duration "${text}": expected a number and a unit (ms, s, m, h)`);
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return Math.round(total);
}

/** "/a/./b//c/../d" to "/a/b/d". */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}
