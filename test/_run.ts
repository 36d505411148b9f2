// The suite's runner: every test file in a node test process of its own, up to MOOR_TEST_JOBS of
// them at once (default 2: most end-to-end files wait on sandboxes and servers more than they use
// a CPU, so two at a time on two cores roughly halves the wall time). A file whose source holds
// the line `// moor-test: alone` (with its reason beside it) touches something every Moor on the
// host shares, such as a name in /etc/hosts, and runs with nothing else. Files start longest
// first, by the durations the last run recorded (test/durations.json, a whole run's, on a clean
// clone), so that a long file does not start last. Each
// file's output is printed whole when it ends; then the slowest files, then "N passed, N failed".
// Usage: node dist/test/_run.js [regex on the files' paths]

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const buildRoot = resolve(fileURLToPath(import.meta.url), "../..");
const durationsFile = join(buildRoot, ".test-durations.json");
/** Durations of a whole run, kept in the repository, for a clean clone's first run. */
const committedDurations = join(buildRoot, "..", "test", "durations.json");
const aloneMarker = /^\/\/ moor-test: alone\b/m;
/** A file still running after this is stopped and counted as failed. */
const fileTimeoutMs = Number(process.env.MOOR_TEST_FILE_TIMEOUT_MS ?? 20 * 60_000);
const jobs = Math.max(1, Number(process.env.MOOR_TEST_JOBS ?? Math.min(2, cpus().length)));

interface TestFile {
  path: string;
  name: string;
  alone: boolean;
  expectedMs: number;
}

interface Outcome {
  file: TestFile;
  passed: number;
  failed: number;
  ms: number;
}

function testFiles(pattern: RegExp | undefined): TestFile[] {
  const known = readDurations();
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".test.js")) found.push(path);
    }
  };
  for (const top of ["src", "test"]) if (existsSync(join(buildRoot, top))) walk(join(buildRoot, top));
  return found
    .filter((path) => !pattern || pattern.test(path))
    // A build output whose source was deleted (tsc leaves it in dist/) is not a test any more.
    .filter((path) => existsSync(join(buildRoot, "..", relative(buildRoot, path).replace(/\.js$/, ".ts"))))
    .sort()
    .map((path) => {
      const name = relative(buildRoot, path);
      return { path, name, alone: aloneMarker.test(readFileSync(path, "utf8")), expectedMs: known[name] ?? 60_000 };
    })
    .sort((a, b) => b.expectedMs - a.expectedMs);
}

/** What the last run on this build recorded, over what the repository keeps. */
function readDurations(): Record<string, number> {
  const read = (path: string) => {
    try {
      return JSON.parse(readFileSync(path, "utf8")) as Record<string, number>;
    } catch {
      return {};
    }
  };
  return { ...read(committedDurations), ...read(durationsFile) };
}

/** The count after `# <word> ` in a TAP summary (node prints one per file it ran). */
function tapCount(tap: string, word: string): number {
  const match = new RegExp(`^# ${word} (\\d+)$`, "m").exec(tap);
  return match ? Number(match[1]) : 0;
}

function runFile(file: TestFile, scratch: string): Promise<Outcome> {
  const tapPath = join(scratch, `${file.name.replaceAll("/", "_")}.tap`);
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [
      "--enable-source-maps", "--test",
      "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=tap", `--test-reporter-destination=${tapPath}`,
      file.path,
    ], { stdio: ["ignore", "pipe", "pipe"] });
    const output: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    }, fileTimeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const tap = existsSync(tapPath) ? readFileSync(tapPath, "utf8") : "";
      const passed = tapCount(tap, "pass");
      let failed = tapCount(tap, "fail") + tapCount(tap, "cancelled");
      const trouble = timedOut ? `stopped after ${fileTimeoutMs / 1000} s` : code !== 0 && failed === 0 ? `exited with ${signal ?? code} and no failed test` : "";
      if (trouble) failed += 1;
      process.stdout.write(`\n── ${file.name} (${(ms / 1000).toFixed(1)} s, ${passed} passed, ${failed} failed)${trouble ? `: ${trouble}` : ""}\n`);
      process.stdout.write(Buffer.concat(output));
      resolveRun({ file, passed, failed, ms });
    });
  });
}

/** Runs the files, `jobs` at a time; a file marked alone waits for the others and runs by itself. */
async function runAll(files: TestFile[], scratch: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const queue = [...files];
  const running = new Set<Promise<void>>();
  let aloneRunning = false;
  while (queue.length > 0 || running.size > 0) {
    const next = queue[0];
    const canStart = next !== undefined && !aloneRunning && running.size < jobs && (!next.alone || running.size === 0);
    if (!canStart) {
      await Promise.race(running);
      continue;
    }
    queue.shift();
    aloneRunning = next.alone;
    const job: Promise<void> = runFile(next, scratch).then((outcome) => {
      outcomes.push(outcome);
      running.delete(job);
      if (next.alone) aloneRunning = false;
    });
    running.add(job);
  }
  return outcomes;
}

function report(outcomes: Outcome[], wallMs: number): { passed: number; failed: number } {
  const recorded = readDurations();
  for (const outcome of outcomes) recorded[outcome.file.name] = outcome.ms;
  writeFileSync(durationsFile, JSON.stringify(recorded, null, 1));
  const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 12);
  process.stdout.write(`\nslowest files (${jobs} at a time, ${(wallMs / 60_000).toFixed(1)} min in all):\n`);
  for (const outcome of slowest) process.stdout.write(`  ${(outcome.ms / 1000).toFixed(1).padStart(7)} s  ${outcome.file.name}${outcome.file.alone ? " (alone)" : ""}\n`);
  const failedFiles = outcomes.filter((outcome) => outcome.failed > 0);
  if (failedFiles.length > 0) process.stdout.write(`files with failures: ${failedFiles.map((outcome) => outcome.file.name).join(", ")}\n`);
  return {
    passed: outcomes.reduce((sum, outcome) => sum + outcome.passed, 0),
    failed: outcomes.reduce((sum, outcome) => sum + outcome.failed, 0),
  };
}

async function main(): Promise<number> {
  const pattern = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
  const files = testFiles(pattern);
  if (files.length === 0) {
    process.stdout.write("no test files found\n0 passed, 1 failed\n");
    return 1;
  }
  const scratch = mkdtempSync(join(tmpdir(), "moor-test-run-"));
  const started = Date.now();
  try {
    const outcomes = await runAll(files, scratch);
    const { passed, failed } = report(outcomes, Date.now() - started);
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main();
