// The shape rules of STYLE.md ("The shape of the tree", "Names and size") applied to a set of
// sources given as text, so unit tests can check each rule on a few in-memory files.
import { builtinModules } from "node:module";
import { posix } from "node:path";
import { folderCycles } from "./_cycles.js";
import { domainPackages, entryFolders, layers } from "./_layers.js";
import { parseSource, type ParsedSource } from "./_parse.js";

export type Rule =
  | "missing-head-file"
  | "head-file"
  | "private-file"
  | "layer"
  | "domain-pure"
  | "cycle"
  | "file-size"
  | "function-size";

export interface Violation {
  rule: Rule;
  /** The file (or, for a cycle, the first folder) the violation is in. */
  file: string;
  /** What breaks the rule: the import specifier, the function, the cycle's folders; "" for a file. */
  subject: string;
  /** Why, in a few words. */
  message: string;
  line?: number;
  /** Lines, for the size rules. */
  size?: number;
}

export const fileLinesMax = 300;
export const functionLinesMax = 70;

/** Sources by path relative to the repository root, e.g. `src/domain/efs/mod.ts`. */
export type Sources = ReadonlyMap<string, string>;

export function checkSources(sources: Sources): Violation[] {
  const violations: Violation[] = [];
  const edges: FolderEdge[] = [];
  for (const [file, text] of sources) {
    const parsed = parseSource(file, text);
    violations.push(...sizeViolations(file, parsed));
    violations.push(...importViolations(file, parsed, edges));
    if (isDomain(file) && !isTest(file)) violations.push(...ambientViolations(file, parsed));
  }
  violations.push(...folderCycles(edges));
  violations.push(...missingHeadFiles(sources));
  return violations.sort(byPlace);
}

/** Every folder with sources has a head file, except the process entries' folder. */
function missingHeadFiles(sources: Sources): Violation[] {
  const folders = new Set([...sources.keys()].map((file) => posix.dirname(file)));
  return [...folders]
    .filter((folder) => !sources.has(`${folder}/mod.ts`) && !entryFolders.includes(folder))
    .map((folder) => ({ rule: "missing-head-file" as const, file: folder, subject: "mod.ts",
      message: `${folder} has no head file mod.ts saying what it is for` }));
}

export interface FolderEdge {
  from: string;
  to: string;
  /** The file whose import makes the edge, to show where a cycle can be cut. */
  file: string;
}

function sizeViolations(file: string, parsed: ParsedSource): Violation[] {
  const found: Violation[] = [];
  if (parsed.lines > fileLinesMax) {
    found.push({ rule: "file-size", file, subject: "", size: parsed.lines,
      message: `${parsed.lines} lines, over ${fileLinesMax}` });
  }
  for (const fn of parsed.functions) {
    if (fn.lines <= functionLinesMax || fn.suite) continue;
    found.push({ rule: "function-size", file, subject: fn.name, line: fn.line, size: fn.lines,
      message: `${fn.lines} lines, over ${functionLinesMax}` });
  }
  return found;
}

function importViolations(file: string, parsed: ParsedSource, edges: FolderEdge[]): Violation[] {
  const found: Violation[] = [];
  const seen = new Set<string>();
  for (const { specifier, line } of parsed.imports) {
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    const at = (rule: Rule, message: string): Violation => ({ rule, file, subject: specifier, line, message });
    if (!specifier.startsWith(".")) {
      const problem = isDomain(file) && !isTest(file) ? packageProblem(specifier) : undefined;
      if (problem !== undefined) found.push(at("domain-pure", problem));
      continue;
    }
    const target = resolve(file, specifier);
    const problem = folderProblem(file, target);
    if (problem !== undefined) found.push(at(problem.rule, problem.message));
    if (posix.dirname(target) !== posix.dirname(file) && !isTest(file)) {
      edges.push({ from: posix.dirname(file), to: posix.dirname(target), file });
    }
  }
  return found;
}

function packageProblem(specifier: string): string | undefined {
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  if (specifier.startsWith("node:") || builtinModules.includes(name)) return "domain code imports no node:* module";
  if (!domainPackages.includes(name)) return `domain code imports no package outside domainPackages in _layers.ts`;
  return undefined;
}

/** The head-file, private-file and layer rules for one import between two files of the tree. */
function folderProblem(file: string, target: string): { rule: Rule; message: string } | undefined {
  const from = posix.dirname(file);
  const to = posix.dirname(target);
  const fromTop = topFolder(file);
  const toTop = topFolder(target);
  if (toTop === undefined) return { rule: "layer", message: "src imports nothing outside src" };
  if (fromTop !== toTop) {
    const allowed = layers[fromTop!];
    if (allowed === undefined) return { rule: "layer", message: `src/${fromTop} is not in the layers table of _layers.ts` };
    if (!allowed.includes(toTop)) {
      return { rule: "layer", message: `src/${fromTop} may not import src/${toTop} (the layers table in _layers.ts)` };
    }
  }
  if (from === to) return undefined;
  const name = posix.basename(target);
  if (name === "mod.ts") return undefined;
  if (name.startsWith("_")) return { rule: "private-file", message: `${to}/${name} is private to ${to}; import ${to}/mod.ts` };
  return { rule: "head-file", message: `other folders import only ${to}/mod.ts` };
}

function ambientViolations(file: string, parsed: ParsedSource): Violation[] {
  return parsed.ambient.map(({ what, line }) => ({
    rule: "domain-pure" as const, file, subject: what, line,
    message: what.startsWith("process.") ? "domain code reads no process state" : "domain code uses no clock or timer",
  }));
}

/** The file an import names: `./x.js` is the TypeScript source `./x.ts`. */
export function resolve(file: string, specifier: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(file), specifier));
  return joined.replace(/\.(m|c)?js$/, ".ts");
}

function topFolder(path: string): string | undefined {
  const parts = path.split("/");
  return parts[0] === "src" && parts.length > 2 ? parts[1] : undefined;
}

function isDomain(file: string): boolean {
  return file.startsWith("src/domain/");
}

export function isTest(file: string): boolean {
  return /\.(test|contract)\.ts$/.test(file);
}

function byPlace(a: Violation, b: Violation): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule);
}
