// Runs the system programs the agent drives (runc, ip, tar, mount, the CNI plugins) and turns a
// failure into an error that says which program failed and what it printed.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { unavailable } from "../../errors/mod.js";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

const outputMaxBytes = 16 * 1024 * 1024;

export function command(file: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < outputMaxBytes) stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < outputMaxBytes) stderr += chunk;
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(unavailable(`Cannot run ${file}: ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = { code: code ?? 128, stdout, stderr };
      if (result.code === 0 || options.allowFailure) return resolve(result);
      const said = (stderr || stdout).trim().split("\n").slice(-3).join(" ");
      reject(unavailable(`Cannot run ${[file, ...args.slice(0, 3)].join(" ")}: it exited with ${signal ?? code}${said ? `: ${said}` : ""}`));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Whether the process runs: a zombie (exited, not yet reaped by its parent) does not. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
