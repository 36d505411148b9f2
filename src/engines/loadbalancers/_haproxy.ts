// One HAProxy process per Moor, in daemon mode inside the VPC network namespace (started through
// `ip netns exec`, which runs it in place), driven through its admin socket. A new
// configuration replaces the running process without dropping connections: the new process
// takes the listening sockets over the admin socket (`-x`, with `expose-fd listeners`) and the
// old one finishes its connections and exits (`-sf`); the servers' health state crosses over
// in the server-state file, dumped just before.

import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";

const program = "haproxy";
const commandTimeoutMs = 10_000;
const socketWaitMs = 10_000;
const stopWaitMs = 10_000;

export interface HaproxyFiles {
  /** The network namespace HAProxy runs in (a name under /run/netns). */
  namespace: string;
  config: string;
  pidFile: string;
  adminSocket: string;
  stateFile: string;
}

function runProgram(namespace: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("ip", ["netns", "exec", namespace, program, ...args], { timeout: commandTimeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/** Sends one command to the admin socket and returns its answer (empty when none). */
export function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = connect(socket);
    let answer = "";
    connection.setTimeout(commandTimeoutMs, () => connection.destroy(new Error(`HAProxy did not answer ${JSON.stringify(command)}`)));
    connection.on("connect", () => connection.end(`${command}\n`));
    connection.on("data", (chunk) => (answer += chunk));
    connection.on("error", reject);
    connection.on("close", () => resolve(answer));
  });
}

export function runningPid(files: HaproxyFiles): number | undefined {
  if (!existsSync(files.pidFile)) return undefined;
  const pid = Number(readFileSync(files.pidFile, "utf8").trim().split("\n")[0]);
  if (!(pid > 0)) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function waitForWorker(files: HaproxyFiles, pid: number): Promise<void> {
  const deadline = Date.now() + socketWaitMs;
  while (Date.now() < deadline) {
    const info = await adminCommand(files.adminSocket, "show info").catch(() => "");
    if (new RegExp(`^Pid: ${pid}$`, "m").test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Cannot reload the load balancers: HAProxy pid ${pid} did not answer on its admin socket`);
}

/** Checks `text`, then runs it: starts HAProxy, or replaces the running one seamlessly. */
export async function startOrReload(files: HaproxyFiles, text: string): Promise<void> {
  const candidate = `${files.config}.next`;
  writeFileSync(candidate, text);
  const check = await runProgram(files.namespace, ["-c", "-f", candidate]);
  if (check.code !== 0) throw new Error(`Cannot configure the load balancers: HAProxy refused the configuration: ${check.output}`);
  writeFileSync(files.config, text);
  const old = runningPid(files);
  if (old) writeFileSync(files.stateFile, await adminCommand(files.adminSocket, "show servers state"));
  else writeFileSync(files.stateFile, "");
  const args = ["-D", "-f", files.config, "-p", files.pidFile, ...(old ? ["-x", files.adminSocket, "-sf", String(old)] : [])];
  const started = await runProgram(files.namespace, args);
  if (started.code !== 0) throw new Error(`Cannot start HAProxy for the load balancers: ${started.output}`);
  const pid = runningPid(files);
  if (!pid) throw new Error(`Cannot start HAProxy for the load balancers: no process after start: ${started.output}`);
  await waitForWorker(files, pid);
}

/** Stops HAProxy at once (the load balancers go away with Moor) and waits until it is gone. */
export async function stopHaproxy(files: HaproxyFiles): Promise<void> {
  const pid = runningPid(files);
  if (!pid) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + stopWaitMs;
  while (Date.now() < deadline && runningPid(files) === pid) await new Promise((resolve) => setTimeout(resolve, 20));
  rmSync(files.pidFile, { force: true });
}
