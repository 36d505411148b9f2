// Image set-up for the walkthroughs' tests: the example images are built once per
// machine, in an image home of their own under the builder's machine-wide cache directory (a
// rebuild there is all cache hits until a Dockerfile or its files change), and a fresh Moor
// home is seeded from it before Moor starts: layers hard-linked, the index, config blobs and
// step cache copied. The walkthrough's own `moor image build` then finds every step cached, as
// a user's second run would, instead of downloading and compiling again in every test.

import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { machineCacheDirectory } from "../../src/engines/builder/mod.js";
import { moorEntry, repoRoot, run } from "../harness.js";

const buildTimeoutMs = 1_200_000;

/** The machine-wide image home (MOOR_CACHE/walkthrough-images), and the lock its writers take. */
function sharedHome(): { home: string; lock: string } {
  const home = join(machineCacheDirectory(), "walkthrough-images");
  mkdirSync(home, { recursive: true });
  return { home, lock: `${home}.lock` };
}

/**
 * Builds `examples/images/<app>` as `tag` for each entry in the machine-wide image home, then
 * seeds `home` (a Moor data directory not yet started) with those images and their step cache.
 */
export async function seedExampleImages(home: string, images: { app: string; tag: string }[]): Promise<void> {
  const shared = sharedHome();
  for (const { app, tag } of images) {
    const startedAt = Date.now();
    const built = await run("flock", [shared.lock, process.execPath, moorEntry, "image", "build", "-t", tag, join(repoRoot, "examples/images", app)], {
      env: { ...process.env, MOOR_HOME: shared.home },
      timeoutMs: buildTimeoutMs,
    });
    assert.equal(built.code, 0, `${app}: ${built.stdout.slice(-3000)}${built.stderr}`);
    console.log(`# ${app}: built in the machine-wide image home in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }
  // Under the lock, so that no build in the shared home is half-written while it is read.
  const seeded = await run("flock", [shared.lock, "sh", "-c", seedScript, "seed", shared.home, home], { timeoutMs: 300_000 });
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.ok(existsSync(join(home, "images", "index.json")), "the image index was not seeded");
}

// Layers are never written after they are unpacked (sandboxes and builds mount them read-only),
// so hard links share them; the index and step-cache files are replaced by rename when written,
// and blobs are small: those are copied.
const seedScript = `set -e
mkdir -p "$2/images" "$2/build"
cp -al "$1/images/layers" "$2/images/layers"
cp -a "$1/images/blobs" "$1/images/index.json" "$2/images/"
cp -a "$1/build/cache" "$2/build/cache"`;
