// Where the check finds the tree and its ratchet: the repository's src/**/*.ts (not the
// built output) and test/shape/ratchet.json, found from this file's place in dist/.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Entry } from "./_ratchet.js";

/** The repository root: this file runs as dist/test/shape/_sources.js. */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const ratchetPath = "test/shape/ratchet.json";

export function readSources(root = repositoryRoot): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        sources.set(relative(root, path).split("\\").join("/"), readFileSync(path, "utf8"));
      }
    }
  };
  walk(join(root, "src"));
  return new Map([...sources].sort(([a], [b]) => a.localeCompare(b)));
}

/** The listed violations; none when the file does not exist yet. */
export function readRatchet(root = repositoryRoot): Entry[] {
  if (!existsSync(join(root, ratchetPath))) return [];
  return JSON.parse(readFileSync(join(root, ratchetPath), "utf8")) as Entry[];
}

export function writeRatchet(entries: readonly Entry[], root = repositoryRoot): void {
  const lines = entries.map((entry) => `  ${JSON.stringify(entry)}`);
  writeFileSync(join(root, ratchetPath), `[\n${lines.join(",\n")}\n]\n`);
}
