// The three places the POSIX suite runs its scenarios: a native directory (the reference), a bind
// mount of a directory, and Moor's enforced FUSE mount with an identity. Each target offers its
// directory through two paths (two mounts of one backing directory, or the same path twice for
// the native one), so scenarios can check what one mount sees of the other's changes.

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FuseEngine, FuseMountOptions } from "../../src/engines/fuse/mod.js";
import { prepareFixtures, testIdentity } from "./_fixtures.js";

const workerPath = fileURLToPath(new URL("./_worker.js", import.meta.url));

export interface Target {
  name: string;
  backing: string;
  a: string;
  b: string;
  dispose(): Promise<void>;
}

/** A temporary directory every uid can enter (scenarios run unprivileged). */
export function makeRoot(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(root, 0o755);
  return root;
}

function backingDirectory(root: string, name: string): string {
  const backing = join(root, `${name}-backing`);
  mkdirSync(backing);
  prepareFixtures(backing);
  return backing;
}

export function nativeTarget(root: string): Target {
  const backing = backingDirectory(root, "native");
  return { name: "native", backing, a: backing, b: backing, dispose: async () => undefined };
}

function mountPoint(root: string, name: string): string {
  const path = join(root, name);
  mkdirSync(path);
  return path;
}

export function bindTarget(root: string): Target {
  const backing = backingDirectory(root, "bind");
  const a = mountPoint(root, "bind-a");
  const b = mountPoint(root, "bind-b");
  for (const path of [a, b]) {
    const result = spawnSync("mount", ["--bind", backing, path], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`Cannot bind-mount ${backing}: ${result.stderr}`);
  }
  return {
    name: "bind",
    backing,
    a,
    b,
    dispose: async () => {
      for (const path of [a, b]) spawnSync("umount", [path]);
    },
  };
}

/** Two FUSE mounts of one backing directory, both enforcing `options` (the test identity by default). */
export async function fuseTarget(
  engine: FuseEngine,
  root: string,
  options: Partial<FuseMountOptions> = { identity: testIdentity },
): Promise<Target> {
  const backing = backingDirectory(root, "fuse");
  const a = mountPoint(root, "fuse-a");
  const b = mountPoint(root, "fuse-b");
  const first = await engine.mount({ ...options, source: backing, mountPoint: a });
  const second = await engine.mount({ ...options, source: backing, mountPoint: b });
  return {
    name: "fuse",
    backing,
    a,
    b,
    dispose: async () => {
      await first.unmount();
      await second.unmount();
    },
  };
}

/** Runs the named scenarios on a target in a worker process with the given uid and gid. */
export function runScenarios(target: Target, names: string[], as: { uid: number; gid: number }): Promise<Record<string, unknown>> {
  const input = JSON.stringify({ a: target.a, b: target.b, names });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerPath, input], { uid: as.uid, gid: as.gid, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`The scenario worker on ${target.name} exited with ${code}: ${errors}`));
      else resolve(JSON.parse(output) as Record<string, unknown>);
    });
  });
}

export function removeRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
