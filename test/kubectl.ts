// The real kubectl (and small waits) for end-to-end tests: a fresh cache directory per Moor (in
// its data directory, so it goes with it), so the version dispatcher never reuses another
// server's answer.

import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { type MoorUnderTest, type RunResult, run } from "./harness.js";

const caches = new WeakMap<MoorUnderTest, string>();

export function kubectl(moor: MoorUnderTest, args: string[], input?: string): Promise<RunResult> {
  let cache = caches.get(moor);
  if (!cache) {
    cache = mkdtempSync(join(moor.home, "kubecache-"));
    caches.set(moor, cache);
  }
  return run("kubectl", args, { env: { ...moor.env, KUBECACHEDIR: cache }, ...(input !== undefined ? { input } : {}) });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(moor: MoorUnderTest, args: string[], input?: string): Promise<string> {
  const result = await kubectl(moor, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

export async function kubectlJson(moor: MoorUnderTest, args: string[]): Promise<any> {
  return JSON.parse(await kubectlOk(moor, [...args, "-o", "json"]));
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ""}`);
}
