// The run file says which Moor process serves a data directory and where: `moor status`,
// `moor down` and `moor env` read it; `moor up` writes it once every component has started.

import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { dirname } from "node:path";

export interface RunInfo {
  pid: number;
  startedAt: string;
  host: string;
  awsPort: number;
  kubePort?: number;
  kubeconfig?: string;
  region: string;
}

export function writeRunFile(path: string, info: RunInfo): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(info, null, 2));
  renameSync(`${path}.tmp`, path);
}

export function readRunFile(path: string): RunInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as RunInfo;
    return isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export function removeRunFile(path: string, pid: number): void {
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as RunInfo;
    if (info.pid === pid) rmSync(path, { force: true });
  } catch {
    // Nothing to remove.
  }
}

/** Whether the process runs: a zombie (exited, not yet reaped by its parent) does not. */
export function isAlive(pid: number): boolean {
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
