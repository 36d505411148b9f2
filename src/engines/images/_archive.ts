// `moor image load`: reads `docker save` tarballs (manifest.json, with legacy or OCI blob paths)
// and OCI image archives (index.json with a nested index or manifests) into the content store.

import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { invalid, quote } from "../../errors/mod.js";
import { command } from "../command/mod.js";
import type { Image, ImageStore, NewImage } from "./mod.js";
import { normalizeReference } from "./_refs.js";

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

export async function loadArchive(store: ImageStore, file: string): Promise<Image[]> {
  if (!existsSync(file)) throw invalid(`Cannot load images from ${quote(file)}: no such file`);
  const work = store.temporaryDirectory();
  try {
    await command("tar", ["-xf", file, "-C", work]);
    const images = existsSync(join(work, "manifest.json")) ? dockerImages(work) : ociImages(work, file);
    const loaded: Image[] = [];
    for (const image of images) {
      const added = await store.add(image);
      // Report what this archive named, even when the image was already known by other names.
      loaded.push({ ...added, references: image.references.map(normalizeReference) });
    }
    return loaded;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function layersOf(work: string, paths: string[], diffIds: string[], file: string): NewImage["layers"] {
  if (paths.length !== diffIds.length) throw invalid(`Cannot load ${quote(file)}: ${paths.length} layers but ${diffIds.length} diff ids`);
  return paths.map((path, index) => {
    const blob = join(work, path);
    return {
      diffId: diffIds[index]!,
      sizeBytes: statSync(blob).size,
      // GNU tar recognises gzip, bzip2 and xz by their magic bytes.
      unpack: async (directory: string) => void (await command("tar", ["-xf", blob, "-C", directory, "--numeric-owner", "-p"])),
    };
  });
}

function dockerImages(work: string): NewImage[] {
  const entries = JSON.parse(readFileSync(join(work, "manifest.json"), "utf8")) as DockerManifestEntry[];
  return entries.map((entry) => {
    const configJson = readFileSync(join(work, entry.Config), "utf8");
    const diffIds = (JSON.parse(configJson).rootfs?.diff_ids ?? []) as string[];
    return { references: entry.RepoTags ?? [], configJson, layers: layersOf(work, entry.Layers, diffIds, entry.Config) };
  });
}

function blobPath(work: string, digest: string): string {
  const [algorithm, hex] = digest.split(":");
  return join(work, "blobs", algorithm!, hex!);
}

function readBlob<T>(work: string, digest: string): T {
  return JSON.parse(readFileSync(blobPath(work, digest), "utf8")) as T;
}

function ociImages(work: string, file: string): NewImage[] {
  if (!existsSync(join(work, "index.json"))) throw invalid(`Cannot load ${quote(file)}: it has neither manifest.json nor index.json`);
  const images: NewImage[] = [];
  const visit = (descriptor: Descriptor, name: string | undefined) => {
    const blob = readBlob<{ mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(work, descriptor.digest);
    if (blob.manifests) {
      const chosen = blob.manifests.filter((entry) => !entry.platform || (entry.platform.os === "linux" && entry.platform.architecture === "amd64"));
      for (const entry of chosen.slice(0, 1)) visit(entry, name);
      return;
    }
    if (!blob.config || !blob.layers) return;
    const configJson = readFileSync(blobPath(work, blob.config.digest), "utf8");
    const diffIds = (JSON.parse(configJson).rootfs?.diff_ids ?? []) as string[];
    const paths = blob.layers.map((layer) => join("blobs", ...layer.digest.split(":")));
    images.push({ references: name ? [name] : [], configJson, layers: layersOf(work, paths, diffIds, file) });
  };
  const index = JSON.parse(readFileSync(join(work, "index.json"), "utf8")) as { manifests?: Descriptor[] };
  for (const descriptor of index.manifests ?? []) visit(descriptor, referenceName(descriptor));
  return images;
}

/** containerd and skopeo name images in annotations; a bare tag there has no repository. */
function referenceName(descriptor: Descriptor): string | undefined {
  const annotations = descriptor.annotations ?? {};
  const name = annotations["io.containerd.image.name"] ?? annotations["org.opencontainers.image.ref.name"];
  if (!name || /^[\w][\w.-]*$/.test(name)) return undefined;
  return name;
}
