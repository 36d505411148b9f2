// `moor up`: start the embedded Moor in the foreground, or detached with -d.

import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, paths } from "../config/mod.js";
import { startEmbedded } from "./_embedded.js";
import { readRunFile } from "./_runfile.js";
import { printStatus } from "./_status.js";

const detachTimeoutMs = 60_000;

export async function commandUp(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      detach: { type: "boolean", short: "d" },
      "aws-port": { type: "string" },
      "kube-port": { type: "string" },
      "no-default-profile": { type: "boolean" },
    },
  });
  const env = { ...process.env };
  if (values["aws-port"]) env.MOOR_AWS_PORT = values["aws-port"];
  if (values["kube-port"]) env.MOOR_KUBE_PORT = values["kube-port"];
  if (values["no-default-profile"]) env.MOOR_DEFAULT_PROFILE = "false";
  const config = loadConfig(env);
  const running = readRunFile(paths(config).runFile);
  if (running) {
    console.error(`moor: Moor already runs for "${config.home}" (pid ${running.pid})`);
    return 1;
  }
  return values.detach ? detach(env) : foreground(env);
}

async function foreground(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const startedAt = performance.now();
  const moor = await startEmbedded(config);
  console.error(`moor: up in ${Math.round(performance.now() - startedAt)} ms, data in ${config.home}`);
  console.error(`moor: AWS endpoint http://${config.host}:${config.awsPort}`);
  await new Promise<void>((resolve) => {
    // Signal handlers alone do not keep Node's event loop alive.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const finish = () => {
      clearInterval(keepAlive);
      resolve();
    };
    process.once("SIGINT", finish);
    process.once("SIGTERM", finish);
  });
  console.error("moor: stopping");
  await moor.stop();
  // Everything is stopped: whatever is still scheduled (a client's socket, a timer of a
  // component) must not keep the process alive. Name it, so that it can be fixed, and leave.
  const left = process.getActiveResourcesInfo().filter((resource) => resource !== "TTYWrap");
  if (left.length > 0) console.error(`moor: still active after stop, not waited for: ${left.join(", ")}`);
  console.error("moor: stopped");
  process.exit(0);
}

async function detach(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const files = paths(config);
  mkdirSync(dirname(files.logFile), { recursive: true });
  const log = openSync(files.logFile, "a");
  const entry = process.argv[1]!;
  const child = spawn(process.execPath, [...process.execArgv, entry, "up"], {
    env,
    detached: true,
    stdio: ["ignore", log, log],
  });
  child.unref();
  const deadline = Date.now() + detachTimeoutMs;
  while (Date.now() < deadline) {
    const info = readRunFile(files.runFile);
    if (info && info.pid === child.pid) {
      printStatus(config, info);
      return 0;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.error(`moor: Moor did not start; see ${files.logFile}`);
  return 1;
}
