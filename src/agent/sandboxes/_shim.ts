// Finds (building it once if needed) moor-shim, the small C monitor that sits beside every
// container (see shim/moor-shim.c for why it is C). The binary is keyed by a hash of its source,
// so a changed source is rebuilt and a running container keeps the binary it started with.

import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unavailable } from "../../errors/mod.js";
import { command } from "../../engines/command/mod.js";

const here = dirname(fileURLToPath(import.meta.url));

// The source sits in the repository; compiled code runs from a dist directory.
function sourcePath(): string {
  const candidates = [join(here, "shim/moor-shim.c"), resolve(here, "../../../../src/agent/sandboxes/shim/moor-shim.c")];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw unavailable(`Cannot find moor-shim's source: looked in ${candidates.map((path) => `"${path}"`).join(", ")}`);
  return found;
}

let built: Promise<string> | undefined;

/** Built once beside the compiled code (shared by every data directory), else in cacheDir. */
export function shimBinary(cacheDir: string): Promise<string> {
  built ??= build(here)
    .catch(() => build(cacheDir))
    .catch((error) => {
      built = undefined;
      throw error;
    });
  return built;
}

async function build(directory: string): Promise<string> {
  const source = sourcePath();
  const digest = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 12);
  const binary = join(directory, `moor-shim-${digest}`);
  if (existsSync(binary)) return binary;
  mkdirSync(directory, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  await command("cc", ["-O2", "-o", temporary, source]).catch((error) => {
    throw unavailable(`Cannot build moor-shim: ${error.message} (is gcc installed?)`, { cause: error });
  });
  renameSync(temporary, binary);
  chmodSync(binary, 0o755);
  return binary;
}
