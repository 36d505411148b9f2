// `moor image load <file>` / `moor image ls` / `moor image rm <ref>` / `moor image build` /
// `moor image base`: the node agent's content store, from the command line. Works whether or
// not Moor is running (the store is shared).

import { join, resolve } from "node:path";
import { loadConfig, paths, type MoorConfig } from "../config/mod.js";
import { baseImageReferences, buildImage, ensureBaseImage, machineCacheDirectory } from "../engines/builder/mod.js";
import { familiarReference, imageArchives, imageInUse, openImageStore } from "../agent/mod.js";
import type { ImageStore } from "../agent/mod.js";
import { parseReference, pushImage } from "../engines/images/mod.js";
import { registryAccess } from "./_ecr.js";

const usage = [
  "Usage: moor image load <file> | moor image ls | moor image rm <reference>",
  "       moor image build -t NAME[:TAG] [-f Dockerfile] [--build-arg KEY=VALUE ...] [--no-cache] DIRECTORY",
  "       moor image base [debian:bookworm | debian:bookworm-slim ...]",
  "       moor image push [--creds USER:PASSWORD] NAME[:TAG] [REGISTRY/REPOSITORY[:TAG]]",
].join("\n");

export async function commandImage(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const config = loadConfig();
  const store = await openImageStore(config.home);
  switch (verb) {
    case "load": {
      const file = rest[0] === "-i" || rest[0] === "--input" ? rest[1] : rest[0];
      if (!file) return fail(usage);
      for (const image of await imageArchives.load(store, file)) {
        if (image.references.length === 0) console.log(`Loaded image ID: ${image.id}`);
        for (const reference of image.references) console.log(`Loaded image: ${familiarReference(reference)}`);
      }
      return 0;
    }
    case "ls":
    case "list":
      printImages(store);
      return 0;
    case "rm":
    case "remove": {
      if (rest.length === 0) return fail(usage);
      const pods = paths(config).pods;
      for (const reference of rest) {
        const { image, deleted } = store.remove(reference, (candidate) => imageInUse(pods, candidate));
        if (!/^(sha256:)?[0-9a-f]{12,64}$/.test(reference)) console.log(`Untagged: ${reference}`);
        if (deleted) console.log(`Deleted: ${image.id}`);
      }
      return 0;
    }
    case "build":
      return build(config, store, rest);
    case "push":
      return push(config, store, rest);
    case "base":
      for (const reference of rest.length ? rest : baseImageReferences) {
        const image = await ensureBaseImage(store, reference, { cacheDirectory: machineCacheDirectory(), output: (line) => console.log(line) });
        console.log(`${familiarReference(image.references.find((entry) => entry === reference || familiarReference(entry) === reference) ?? image.references[0]!)}: ${image.id}`);
      }
      return 0;
    default:
      return fail(usage);
  }
}

async function build(config: MoorConfig, store: ImageStore, args: string[]): Promise<number> {
  const tags: string[] = [];
  const buildArgs: Record<string, string> = {};
  let dockerfile: string | undefined;
  let directory: string | undefined;
  let noCache = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = () => args[++index] ?? "";
    if (arg === "-t" || arg === "--tag") tags.push(value());
    else if (arg.startsWith("--tag=")) tags.push(arg.slice(6));
    else if (arg === "-f" || arg === "--file") dockerfile = resolve(value());
    else if (arg.startsWith("--file=")) dockerfile = resolve(arg.slice(7));
    else if (arg === "--build-arg" || arg.startsWith("--build-arg=")) {
      const pair = arg === "--build-arg" ? value() : arg.slice(12);
      const equals = pair.indexOf("=");
      // "--build-arg KEY" takes the value from the environment, as docker build does.
      if (equals < 0) {
        if (process.env[pair] !== undefined) buildArgs[pair] = process.env[pair]!;
      } else buildArgs[pair.slice(0, equals)] = pair.slice(equals + 1);
    } else if (arg === "--no-cache") noCache = true;
    else if (!arg.startsWith("-") && directory === undefined) directory = arg;
    else return fail(`moor image build: unexpected argument "${arg}"\n${usage}`);
  }
  if (directory === undefined) return fail(`moor image build: a build context directory is required\n${usage}`);
  await buildImage(store, {
    contextDirectory: resolve(directory),
    ...(dockerfile ? { dockerfile } : {}),
    tags,
    buildArgs,
    noCache,
    cacheDirectory: machineCacheDirectory(),
    stepCacheDirectory: join(config.home, "build", "cache"),
    runcRoot: join(config.home, "build", "runc"),
    output: (text) => process.stdout.write(text),
  });
  return 0;
}

/** Pushes a local image; to this Moor's ECR with its own token, elsewhere with --creds. */
async function push(config: MoorConfig, store: ImageStore, args: string[]): Promise<number> {
  let creds: string | undefined;
  const names: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--creds") creds = args[++index];
    else if (arg.startsWith("--creds=")) creds = arg.slice(8);
    else if (!arg.startsWith("-")) names.push(arg);
    else return fail(`moor image push: unexpected argument "${arg}"\n${usage}`);
  }
  const [source, target = names[0]] = names;
  if (!source || !target || names.length > 2) return fail(usage);
  const served = registryAccess(config)(parseReference(target).registry);
  const colon = creds?.indexOf(":") ?? -1;
  const credentials = creds !== undefined ? { username: creds.slice(0, colon < 0 ? undefined : colon), password: colon < 0 ? "" : creds.slice(colon + 1) } : served?.credentials;
  await pushImage(store, source, target, { ...(credentials ? { credentials } : {}), ...(served ? { endpoint: served.endpoint } : {}), output: (line) => console.log(line) });
  return 0;
}

function printImages(store: ImageStore): void {
  const rows = [["REPOSITORY", "TAG", "IMAGE ID", "SIZE"]];
  for (const image of store.list()) {
    const references = image.references.length ? image.references : ["<none>:<none>"];
    for (const reference of references) {
      const familiar = familiarReference(reference);
      const split = familiar.lastIndexOf(":");
      const slash = familiar.lastIndexOf("/");
      const [repository, tag] = split > slash ? [familiar.slice(0, split), familiar.slice(split + 1)] : [familiar, "<none>"];
      rows.push([repository, tag, image.id.slice(7, 19), humanSize(image.sizeBytes)]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join("   ").trimEnd());
}

function humanSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)}GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)}MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)}kB`;
  return `${bytes}B`;
}

function fail(message: string): number {
  console.error(message);
  return 2;
}
