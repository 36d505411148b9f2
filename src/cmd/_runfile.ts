// The run file says which Moor process serves a data directory and where: `moor status`,
// `moor down` and `moor env` read it; `moor up` writes it once every component has started.

import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { isProcessRunning } from "../engines/command/mod.js";

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
    return isProcessRunning(info.pid) ? info : undefined;
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
