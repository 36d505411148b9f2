// Dockerfile text to instructions: parser directives (escape), comments, line continuations,
// flags (--from=...), and the JSON (exec) or shell form of each instruction's arguments.

import { invalid, unsupported } from "../../errors/mod.js";

export interface Instruction {
  /** The line the instruction starts on, from 1. */
  line: number;
  /** Upper case: "RUN". */
  keyword: string;
  /** The instruction as written, continuations joined: "RUN apt-get install nope". */
  text: string;
  /** Leading "--name=value" flags ("--from", "--chown", "--interval"). */
  flags: Record<string, string>;
  /** The arguments after the flags, continuations joined. */
  args: string;
  /** The arguments as a JSON array of strings (exec form), when they are one. */
  json?: string[];
}

export interface Dockerfile {
  escape: string;
  instructions: Instruction[];
}

export const knownKeywords = new Set([
  "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
  "WORKDIR", "ARG", "HEALTHCHECK", "SHELL", "STOPSIGNAL",
]);
/** Real Dockerfile instructions Moor's builder does not carry out. */
const refusedKeywords = new Set(["ONBUILD", "MAINTAINER"]);

export function parseDockerfile(source: string, file = "Dockerfile"): Dockerfile {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const escape = escapeDirective(lines, file);
  const instructions: Instruction[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = index;
    const first = lines[index++]!;
    if (isBlankOrComment(first)) continue;
    let logical = "";
    let current = first;
    // A line ending in the escape character continues on the next line; comment and blank
    // lines inside a continuation are skipped, as Docker does.
    for (;;) {
      const trimmed = current.replace(/\s+$/, "");
      if (!trimmed.endsWith(escape)) {
        logical += current;
        break;
      }
      logical += trimmed.slice(0, -1);
      while (index < lines.length && isBlankOrComment(lines[index]!)) index++;
      if (index >= lines.length) break;
      current = lines[index++]!;
    }
    instructions.push(instruction(logical.trim(), start + 1, file));
  }
  return { escape, instructions };
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === "" || trimmed.startsWith("#");
}

/** `# escape=`` ` among the comments before the first instruction (`# syntax=` is ignored). */
function escapeDirective(lines: string[], file: string): string {
  let escape = "\\";
  for (const [index, line] of lines.entries()) {
    const match = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S*)\s*$/.exec(line);
    if (!match) break;
    if (match[1]!.toLowerCase() !== "escape") continue;
    if (match[2] !== "\\" && match[2] !== "`") throw invalid(`Cannot parse ${file}:${index + 1}: invalid escape character "${match[2]}"`);
    escape = match[2]!;
  }
  return escape;
}

function instruction(text: string, line: number, file: string): Instruction {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text)!;
  const keyword = match[1]!.toUpperCase();
  if (refusedKeywords.has(keyword)) throw unsupported(`${file}:${line}: ${keyword} is not supported by Moor's builder`);
  if (!knownKeywords.has(keyword)) throw invalid(`${file}:${line}: unknown instruction: ${match[1]}`);
  let rest = match[2]!;
  const flags: Record<string, string> = {};
  while (rest.startsWith("--")) {
    const flag = /^--([a-zA-Z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!flag) break;
    flags[flag[1]!] = flag[2] ?? "true";
    rest = rest.slice(flag[0].length);
  }
  const parsed: Instruction = { line, keyword, text, flags, args: rest.trim() };
  const json = jsonForm(parsed.args);
  if (json) parsed.json = json;
  return parsed;
}

/** Docker treats arguments that are not a valid JSON array of strings as the shell form. */
function jsonForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const value = JSON.parse(args) as unknown;
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  } catch {
    // The shell form.
  }
  return undefined;
}
