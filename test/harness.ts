// Starts a real Moor (the built `moor up`, in the foreground) in a fresh data directory on free
// ports, and runs the real clients against it. Used by the end-to-end tests and benchmarks.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The compiled tree this file runs from (dist/, or a helper's own dist-name/). */
export const buildRoot = resolve(fileURLToPath(import.meta.url), "../..");
export const repoRoot = resolve(buildRoot, "..");
export const moorEntry = join(buildRoot, "src/cmd/moor.js");
const startTimeoutMs = 60_000;
const podRemovalTimeoutMs = 30_000;

export interface MoorUnderTest {
  home: string;
  /** Environment for child processes: MOOR_HOME, ports, and what `moor env` exports. */
  env: NodeJS.ProcessEnv;
  awsEndpoint: string;
  /** Stops Moor (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts Moor again on the same data directory and ports. */
  start(): Promise<void>;
  /** Stops Moor and removes its data directory. */
  dispose(): Promise<void>;
  /** Everything Moor printed so far. */
  output(): string;
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** Distinct free ports: every listener stays open until all are chosen, so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

type StartOptions = { home?: string; env?: NodeJS.ProcessEnv };
const startAttemptsMax = 3;

/** Starts Moor; a port taken by someone else between choosing and binding means another try. */
export async function startMoor(options: StartOptions = {}): Promise<MoorUnderTest> {
  for (let attempt = 1; ; attempt++) {
    const [awsPort, kubePort] = await freePorts(2);
    try {
      return await startMoorOn(options, awsPort!, kubePort!);
    } catch (error) {
      if (attempt >= startAttemptsMax || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

async function startMoorOn(options: StartOptions, awsPort: number, kubePort: number): Promise<MoorUnderTest> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), "moor-test-"));
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MOOR_HOME: home,
    MOOR_AWS_PORT: String(awsPort),
    MOOR_KUBE_PORT: String(kubePort),
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let log = "";
  let env: NodeJS.ProcessEnv = baseEnv;

  const start = async () => {
    child = spawn(process.execPath, ["--enable-source-maps", moorEntry, "up"], { env: baseEnv, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk) => (log += chunk));
    child.stderr!.on("data", (chunk) => (log += chunk));
    const deadline = Date.now() + startTimeoutMs;
    const runFile = join(home, "run", "moor.json");
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`moor up exited with ${child.exitCode}:\n${log}`);
      try {
        const info = JSON.parse(readFileSync(runFile, "utf8"));
        if (info.pid === child.pid) break;
      } catch {
        // Not written yet.
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (Date.now() >= deadline) throw new Error(`moor up did not become ready:\n${log}`);
    const exports = await run(process.execPath, [moorEntry, "env"], { env: baseEnv });
    env = { ...baseEnv, ...parseExports(exports.stdout) };
  };

  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once("exit", r));
    running.kill("SIGTERM");
    await exited;
  };

  try {
    await start();
  } catch (error) {
    if (!options.home) rmSync(home, { recursive: true, force: true });
    throw error;
  }
  return {
    home,
    get env() {
      return env;
    },
    awsEndpoint: `http://127.0.0.1:${awsPort}`,
    stop,
    start,
    dispose: async () => {
      await removePods(home, env, child);
      await stop();
      // What outlives Moor by design (FUSE daemons, sandboxes of a Moor that was killed) goes too.
      await run(process.execPath, [moorEntry, "down", "--all"], { env: baseEnv });
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
    output: () => log,
  };
}

/**
 * Moor leaves running pods running when it stops (the next Moor re-adopts them), so a test that
 * is done deletes its pods first and waits until the agent has torn their sandboxes down.
 */
async function removePods(home: string, env: NodeJS.ProcessEnv, child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || !env.KUBECONFIG) return;
  const podsDir = join(home, "pods");
  const remaining = () => {
    try {
      return readdirSync(podsDir).length;
    } catch {
      return 0;
    }
  };
  if (remaining() === 0) return;
  const cache = mkdtempSync(join(tmpdir(), "moor-kubecache-"));
  const kubectlEnv = { ...env, KUBECACHEDIR: cache };
  await run("kubectl", ["delete", "deployments,statefulsets,replicasets,jobs", "--all", "--all-namespaces", "--cascade=orphan", "--wait=false"], { env: kubectlEnv });
  await run("kubectl", ["delete", "pods", "--all", "--all-namespaces", "--grace-period=0", "--force", "--wait=false"], { env: kubectlEnv });
  const deadline = Date.now() + podRemovalTimeoutMs;
  while (remaining() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  rmSync(cache, { recursive: true, force: true });
}

export function parseExports(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) result[match[1]!] = match[2]!.replace(/^'(.*)'$/, "$1");
  }
  return result;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion; never throws on a non-zero exit (the caller asserts). */
export function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = execFile(
      file,
      args,
      { env: options.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as any).code === "number" ? (error as any).code : 1) : 0;
        resolveRun({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** Runs the real aws CLI against Moor. */
export function aws(moor: MoorUnderTest, args: string[]): Promise<RunResult> {
  return run("aws", [...args], { env: { ...moor.env, AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } });
}
