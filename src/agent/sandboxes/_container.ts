// One container's life on the host: an overlay root (the image's layers plus a private upper
// directory), an OCI bundle, and a moor-shim that starts it with runc and stays beside it.
// Everything a later agent needs to find it again is on disk: the container directory holds
// the bundle, the shim's pid and exit files; runc's state directory holds the rest.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { unavailable } from "../../errors/mod.js";
import { command } from "../../engines/command/mod.js";
import type { AgentLayout } from "../node/mod.js";
import { isMountPoint, mount, unmount } from "../../engines/hostmounts/mod.js";

const runc = "runc";
/** Each container's log: rotated at maxBytes, keeping files files in all (the kubelet's defaults). */
export interface LogLimits {
  maxBytes: number;
  files: number;
}
export const defaultLogLimits: LogLimits = { maxBytes: 10 * 1024 * 1024, files: 5 };

export interface StartedContainer {
  id: string;
  pid: number;
  startedAt: string;
}

export interface ContainerExit {
  exitCode: number;
  signal: number;
  finishedAt: string;
}

export function newContainerId(): string {
  return randomBytes(16).toString("hex");
}

/** Mounts the container's overlay root; returns the bundle's rootfs path. */
export async function prepareRoot(directory: string, layers: string[]): Promise<string> {
  const rootfs = join(directory, "rootfs");
  for (const folder of ["rootfs", "upper", "work"]) mkdirSync(join(directory, folder), { recursive: true });
  if (!isMountPoint(rootfs)) {
    const options = `lowerdir=${layers.join(":")},upperdir=${join(directory, "upper")},workdir=${join(directory, "work")}`;
    await mount("overlay", rootfs, { type: "overlay", options: [options] });
  }
  return rootfs;
}

export async function startContainer(layout: AgentLayout, shim: string, directory: string, id: string, spec: object, log: { file: string; limits: LogLimits }): Promise<StartedContainer> {
  const logFile = log.file;
  writeFileSync(join(directory, "config.json"), JSON.stringify(spec));
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(layout.runcRoot, { recursive: true });
  const args = ["run", directory, await runcPath(), layout.runcRoot, id, directory, logFile, String(log.limits.maxBytes), String(log.limits.files)];
  const reply = await new Promise<string>((resolve, reject) => {
    const child = spawn(shim, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.stdout.on("end", () => resolve(text));
    child.on("error", reject);
    child.unref();
  });
  const match = /^ok (\d+)/.exec(reply);
  if (!match) throw unavailable(runcError(directory) ?? `the runtime failed: ${reply.trim()}`);
  return { id, pid: Number(match[1]), startedAt: new Date().toISOString() };
}

let resolvedRunc: string | undefined;
async function runcPath(): Promise<string> {
  resolvedRunc ??= (await command("sh", ["-c", `command -v ${runc}`])).stdout.trim();
  return resolvedRunc;
}

/** runc's last error, from its JSON log, worded as the runtime said it. */
function runcError(directory: string): string | undefined {
  try {
    const lines = readFileSync(join(directory, "runc.log"), "utf8").trim().split("\n").reverse();
    for (const line of lines) {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if (entry.level === "error" && entry.msg) return entry.msg;
    }
  } catch {
    // No log: the shim's reply says what happened.
  }
  return undefined;
}

export function readExit(directory: string): ContainerExit | undefined {
  try {
    const [code, signal, finishedNs] = readFileSync(join(directory, "exit"), "utf8").trim().split(" ").map(Number);
    return { exitCode: code!, signal: signal!, finishedAt: new Date(Math.floor(finishedNs! / 1e6)).toISOString() };
  } catch {
    return undefined;
  }
}

export async function signalContainer(layout: AgentLayout, id: string, signal: "TERM" | "KILL"): Promise<void> {
  await command(runc, ["--root", layout.runcRoot, "kill", id, signal], { allowFailure: true });
}

/** Deletes the runc container and its root; keeps nothing but the log (stored elsewhere). */
export async function removeContainer(layout: AgentLayout, directory: string, id: string): Promise<void> {
  await command(runc, ["--root", layout.runcRoot, "delete", "--force", id], { allowFailure: true });
  const rootfs = join(directory, "rootfs");
  if (existsSync(rootfs) && isMountPoint(rootfs)) await unmount(rootfs, { lazy: true, allowFailure: true });
  rmSync(directory, { recursive: true, force: true });
}
