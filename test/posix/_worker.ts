// Runs POSIX scenarios in a process of its own (started with the test identity's uid and gid) and
// prints their results as JSON: `node _worker.js '{"a": dir, "b": dir, "names": [...]}'`.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { scenarioDirectory, scenarios } from "./_scenarios.js";

interface WorkerInput {
  a: string;
  b: string;
  names: string[];
}

const input = JSON.parse(process.argv[2]) as WorkerInput;
process.umask(0o022);
const results: Record<string, unknown> = {};
for (const name of input.names) {
  const directory = scenarioDirectory(name);
  try {
    mkdirSync(join(input.a, directory));
    results[name] = scenarios[name]({ a: join(input.a, directory), b: join(input.b, directory), fixtures: join(input.a, "fixtures") });
  } catch (error) {
    results[name] = { crashed: String(error) };
  }
}
process.stdout.write(JSON.stringify(results));
