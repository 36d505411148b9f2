// The base images debian:bookworm and debian:bookworm-slim, made offline from Debian's
// packages with debootstrap (minbase) against the mirror apt uses on this machine, once per
// machine: each variant is kept as a reproducible layer tarball (sorted entries, numeric
// owners, times clamped to the archive's Release date, no logs, caches or host files) under
// the cache directory, and loaded into an image store from there.
//
// slim is minbase without documentation, manual pages, info pages and translations, and with
// a dpkg configuration that keeps packages installed later from adding them back, as the
// slim variant of Docker's Debian images does.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unavailable } from "../../errors/mod.js";
import { normalizeReference, type Image, type ImageStore } from "../images/mod.js";
import { digestFile, reproducibleTarOptions } from "./_layers.js";
import { run } from "./_process.js";
import { pruneForSlim, scrubRootfs, slimDpkgConfig } from "./_scrub.js";

const variants: Record<string, "bookworm" | "bookworm-slim"> = {
  "docker.io/library/debian:bookworm": "bookworm",
  "docker.io/library/debian:bookworm-slim": "bookworm-slim",
};
const recipeVersion = "1";

export interface BaseOptions {
  /** Where the base layers are kept between builds and test runs. */
  cacheDirectory: string;
  /** Progress lines (debootstrap's own among them). */
  output: (line: string) => void;
}

/** The normalized references of the base images this machine can make. */
export function isBaseImage(reference: string): boolean {
  try {
    return normalizeReference(reference) in variants;
  } catch {
    return false;
  }
}

export const baseImageReferences = Object.keys(variants);

/** The base image in the store, made (or loaded from the machine's cache) when missing. */
export async function ensureBaseImage(store: ImageStore, reference: string, options: BaseOptions): Promise<Image> {
  const normalized = normalizeReference(reference);
  const variant = variants[normalized];
  if (!variant) throw unavailable(`Cannot make base image ${JSON.stringify(reference)}: Moor makes only ${Object.keys(variants).join(", ")}`);
  const folder = join(options.cacheDirectory, `base-v${recipeVersion}`);
  if (!existsSync(join(folder, variant, "config.json"))) await makeBaseLayers(folder, options);
  const configJson = readFileSync(join(folder, variant, "config.json"), "utf8");
  const diffId = (JSON.parse(configJson) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids[0]!;
  const present = store.find(normalized);
  if (present && present.layers.length === 1 && present.layers[0] === diffId) return present;
  const tarball = join(folder, variant, "layer.tar");
  options.output(`Loading ${variant} into the image store`);
  return store.add({
    references: [normalized],
    configJson,
    layers: [{ diffId, sizeBytes: statSync(tarball).size, unpack: async (directory) => void (await run("tar", ["-xf", tarball, "-C", directory, "--numeric-owner", "-p", "--xattrs", "--xattrs-include=*"])) }],
  });
}

async function makeBaseLayers(folder: string, options: BaseOptions): Promise<void> {
  const work = join(folder, `tmp-${randomBytes(6).toString("hex")}`);
  const rootfs = join(work, "rootfs");
  mkdirSync(work, { recursive: true });
  try {
    const mirror = debianMirror();
    options.output(`Making debian:bookworm with debootstrap --variant=minbase from ${mirror} (about a minute, once per machine)`);
    let pending = "";
    await run("debootstrap", ["--variant=minbase", "bookworm", rootfs, mirror], {
      output: (chunk) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop()!;
        for (const line of lines) if (/^[IEW]: /.test(line)) options.output(`  ${line}`);
      },
    });
    const epoch = scrubRootfs(rootfs, mirror);
    await writeVariant(work, rootfs, "bookworm", epoch);
    pruneForSlim(rootfs);
    mkdirSync(join(rootfs, "etc/dpkg/dpkg.cfg.d"), { recursive: true });
    writeFileSync(join(rootfs, "etc/dpkg/dpkg.cfg.d/moor-slim"), slimDpkgConfig);
    await writeVariant(work, rootfs, "bookworm-slim", epoch);
    for (const variant of ["bookworm", "bookworm-slim"]) {
      try {
        renameSync(join(work, variant), join(folder, variant));
      } catch (error) {
        // Another process made them at the same time: theirs is as good as ours.
        if (!existsSync(join(folder, variant, "config.json"))) throw error;
      }
    }
  } catch (error) {
    throw unavailable(`Cannot make the Debian base images: ${(error as Error).message}`, { cause: error });
  } finally {
    await run("rm", ["-rf", "--one-file-system", work], { allowFailure: true });
  }
}

async function writeVariant(work: string, rootfs: string, variant: string, epoch: number): Promise<void> {
  const target = join(work, variant);
  mkdirSync(target);
  await run("tar", [...reproducibleTarOptions(epoch), "-C", rootfs, "-cf", join(target, "layer.tar"), "."]);
  const digest = await digestFile(join(target, "layer.tar"));
  const created = new Date(epoch * 1000).toISOString().replace(/\.000Z$/, "Z");
  writeFileSync(join(target, "config.json"), JSON.stringify({
    architecture: "amd64",
    os: "linux",
    created,
    config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["bash"] },
    rootfs: { type: "layers", diff_ids: [digest] },
    history: [{ created, created_by: `moor image base: debootstrap --variant=minbase bookworm${variant.endsWith("-slim") ? ", slimmed" : ""}` }],
  }));
}

/** The Debian mirror apt uses here (deb822 or one-line sources), or Debian's own. */
function debianMirror(): string {
  const files = ["/etc/apt/sources.list", ...listFiles("/etc/apt/sources.list.d")];
  for (const file of files) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const stanza = text.split(/\n\s*\n/).find((block) => /^Suites:.*\bbookworm\b/m.test(block) && /^URIs:/m.test(block));
    const uri = stanza && /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
    if (uri && !uri.includes("security")) return uri;
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (line) return line[1]!;
  }
  return "http://deb.debian.org/debian";
}

function listFiles(directory: string): string[] {
  try {
    return readdirSync(directory).filter((name) => /\.(list|sources)$/.test(name)).sort().map((name) => join(directory, name));
  } catch {
    return [];
  }
}
