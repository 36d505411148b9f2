// The walkthroughs build their images with `moor image build`, whose step cache lives in each
// Moor home; a test's home is new every run, so every run would rebuild them from Debian's mirror
// (minutes). Here the images are built once per machine into a builder home under the machine
// cache (MOOR_CACHE, as the base images are), and a test's home starts with that home's layers
// (hard links: layers are never written after they are made) and step cache: the walkthrough's
// own `moor image build` lines then run every step from the cache, in seconds.

import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { moorEntry, repoRoot, run } from "../harness.js";

const builderHome = join(process.env.MOOR_CACHE || "/var/cache/moor", "example-builds");
const buildTimeoutMs = 1_200_000;

/** Builds examples/images/<app> for each app in the machine's builder home (cached steps are instant). */
export async function buildInBuilderHome(apps: string[]): Promise<void> {
  mkdirSync(builderHome, { recursive: true });
  for (const app of apps) {
    const startedAt = Date.now();
    const built = await run(process.execPath, [moorEntry, "image", "build", "-t", `moor-examples/${app}:latest`, join(repoRoot, "examples/images", app)], {
      env: { ...process.env, MOOR_HOME: builderHome },
      timeoutMs: buildTimeoutMs,
    });
    assert.equal(built.code, 0, `building ${app} in ${builderHome}: ${built.stdout.slice(-3000)}${built.stderr}`);
    console.log(`# ${app} in the builder home: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }
}

/** A new Moor home holding the builder home's images and step cache. */
export async function seededHome(): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), "moor-test-"));
  mkdirSync(join(home, "images"), { recursive: true });
  mkdirSync(join(home, "build"), { recursive: true });
  for (const folder of ["blobs", "layers"]) {
    const linked = await run("cp", ["-al", join(builderHome, "images", folder), join(home, "images", folder)], { timeoutMs: 300_000 });
    assert.equal(linked.code, 0, linked.stderr);
  }
  // The index is rewritten in place by its store: a copy, not a link.
  copyFileSync(join(builderHome, "images", "index.json"), join(home, "images", "index.json"));
  if (existsSync(join(builderHome, "build", "cache"))) {
    const copied = await run("cp", ["-a", join(builderHome, "build", "cache"), join(home, "build", "cache")]);
    assert.equal(copied.code, 0, copied.stderr);
  }
  return home;
}
