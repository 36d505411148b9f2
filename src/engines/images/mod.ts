// The image content store: images loaded from archives (`docker save`, OCI archives), pulled
// from OCI distribution registries, or built in (busybox). Each layer is unpacked once into its
// own directory, with OCI whiteouts turned into overlayfs ones, so a container's root file
// system is an overlay of those directories plus a private upper directory.
//
// Layout under <home>/images: index.json (the images and their references), blobs/ (image
// configs), layers/<diff-id hex>/ (unpacked layers), tmp/. The agent and `moor image` share it
// from different processes: the index is re-read when it changed and written under a lock.

import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { conflict, notFound, quote } from "../../errors/mod.js";
import { command } from "../command/mod.js";
import { withLock } from "./_lock.js";
import { normalizeReference } from "./_refs.js";

export { familiarReference, isLatest, normalizeReference, parseReference } from "./_refs.js";
export { loadArchive } from "./_archive.js";
export { busyboxReference, ensureBusybox } from "./_busybox.js";
export { isLoopbackRegistry, pullImage, type Credentials, type PullOptions, type RegistryAccess } from "./_registry.js";
export { BlobStore } from "./_blobs.js";
export { reproducibleTarOptions } from "./_tar.js";
export { pushImage, type PushOptions, type PushResult } from "./_push.js";

/** The part of an OCI image config a container's process starts from. */
export interface ImageConfig {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface Image {
  /** "sha256:<digest of the image config>", as `docker images --no-trunc` shows it. */
  id: string;
  /** Normalized references ("docker.io/library/busybox:latest"). */
  references: string[];
  /** "<registry>/<repository>@sha256:<manifest digest>" for pulled images. */
  repoDigests: string[];
  /** Layer diff ids, bottom layer first. */
  layers: string[];
  config: ImageConfig;
  sizeBytes: number;
  createdAt: string;
}

export interface NewLayer {
  diffId: string;
  sizeBytes: number;
  /** Fills an empty directory with the layer's files (whiteouts are handled afterwards). */
  unpack(directory: string): Promise<void>;
}

export interface NewImage {
  references: string[];
  repoDigest?: string;
  configJson: string;
  layers: NewLayer[];
}

interface Index {
  images: Image[];
}

export class ImageStore {
  readonly root: string;
  private readonly shim: () => Promise<string>;
  private index: Index = { images: [] };
  private indexMtimeMs = -1;

  constructor(root: string, shim: () => Promise<string>) {
    this.root = root;
    this.shim = shim;
    for (const folder of ["blobs", "layers", "tmp"]) mkdirSync(join(root, folder), { recursive: true });
  }

  list(): Image[] {
    return this.read().images;
  }

  /** By reference ("busybox", "busybox:latest", full), id, or id prefix of 12 or more. */
  find(reference: string): Image | undefined {
    const images = this.read().images;
    const bare = reference.replace(/^sha256:/, "");
    if (/^[a-f0-9]{12,64}$/.test(bare)) {
      const byId = images.find((image) => image.id.slice(7).startsWith(bare));
      if (byId) return byId;
    }
    let normalized: string;
    try {
      normalized = normalizeReference(reference);
    } catch {
      return undefined;
    }
    return images.find((image) => image.references.includes(normalized) || image.repoDigests.includes(normalized));
  }

  /** Directories of the image's layers, top layer first, as overlayfs's lowerdir wants them. */
  layerDirectories(image: Image): string[] {
    return [...image.layers].reverse().map((diffId) => this.layerDirectory(diffId));
  }

  layerDirectory(diffId: string): string {
    return join(this.root, "layers", diffId.replace(/^sha256:/, ""));
  }

  /** The image's whole config file as stored (labels, ports, volumes, history included). */
  configJson(image: Image): string {
    return readFileSync(join(this.root, "blobs", `${image.id.slice(7)}.json`), "utf8");
  }

  /** Makes `alias` name the layer already unpacked as `diffId` (a layer pushed as a re-made tar). */
  aliasLayer(alias: string, diffId: string): void {
    const link = this.layerDirectory(alias);
    if (!existsSync(link)) {
      rmSync(link, { force: true });
      symlinkSync(diffId.replace(/^sha256:/, ""), link);
    }
  }

  temporaryDirectory(): string {
    return mkdtempSync(join(this.root, "tmp", "work-"));
  }

  /** Unpacks the layers that are not there yet and records the image under its references. */
  async add(input: NewImage): Promise<Image> {
    for (const layer of input.layers) await this.unpackLayer(layer);
    const digest = createHash("sha256").update(input.configJson).digest("hex");
    writeFileSync(join(this.root, "blobs", `${digest}.json`), input.configJson);
    const parsed = JSON.parse(input.configJson) as { config?: ImageConfig; created?: string };
    const references = input.references.map(normalizeReference);
    const image: Image = {
      id: `sha256:${digest}`,
      references,
      repoDigests: input.repoDigest ? [input.repoDigest] : [],
      layers: input.layers.map((layer) => layer.diffId),
      config: parsed.config ?? {},
      sizeBytes: input.layers.reduce((sum, layer) => sum + layer.sizeBytes, 0),
      createdAt: parsed.created ?? new Date().toISOString(),
    };
    return this.write((index) => {
      const existing = index.images.find((candidate) => candidate.id === image.id);
      for (const other of index.images) other.references = other.references.filter((reference) => !references.includes(reference));
      if (existing) {
        existing.references = [...new Set([...existing.references, ...references])];
        existing.repoDigests = [...new Set([...existing.repoDigests, ...image.repoDigests])];
      } else {
        index.images.push(image);
      }
      index.images = index.images.filter((candidate) => candidate.references.length > 0 || candidate.repoDigests.length > 0 || candidate.id === image.id);
      return existing ?? image;
    });
  }

  /** Removes a reference; the image and its unshared layers go with its last reference. */
  remove(reference: string, inUse: (image: Image) => boolean): { image: Image; deleted: boolean } {
    const image = this.find(reference);
    if (!image) throw notFound(`Cannot remove image ${quote(reference)}: no such image`, { subject: { kind: "Image", name: reference } });
    if (inUse(image)) throw conflict(`Cannot remove image ${quote(reference)}: a container uses it`, { subject: { kind: "Image", name: reference } });
    let normalized = "";
    try {
      normalized = normalizeReference(reference);
    } catch {
      // An id: remove every reference.
    }
    const removed = this.write((index) => {
      const current = index.images.find((candidate) => candidate.id === image.id);
      if (!current) return undefined;
      const byReference = current.references.includes(normalized);
      current.references = byReference ? current.references.filter((entry) => entry !== normalized) : [];
      if (byReference && current.references.length > 0) return undefined;
      index.images = index.images.filter((candidate) => candidate !== current);
      const kept = new Set(index.images.flatMap((candidate) => candidate.layers));
      return current.layers.filter((layer) => !kept.has(layer));
    });
    for (const layer of removed ?? []) rmSync(this.layerDirectory(layer), { recursive: true, force: true });
    return { image, deleted: removed !== undefined };
  }

  private async unpackLayer(layer: NewLayer): Promise<void> {
    const target = this.layerDirectory(layer.diffId);
    if (existsSync(target)) return;
    // An alias whose layer was removed: unpack in its place.
    if (lstatOrUndefined(target)) rmSync(target, { force: true });
    const work = this.temporaryDirectory();
    try {
      await layer.unpack(work);
      await command(await this.shim(), ["whiteouts", work]);
      try {
        renameSync(work, target);
      } catch (error) {
        // Another process unpacked the same layer first: theirs is as good as ours.
        if (!existsSync(target)) throw error;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  private read(): Index {
    const path = join(this.root, "index.json");
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      return this.index;
    }
    if (mtimeMs !== this.indexMtimeMs) {
      this.index = JSON.parse(readFileSync(path, "utf8")) as Index;
      this.indexMtimeMs = mtimeMs;
    }
    return this.index;
  }

  private write<T>(change: (index: Index) => T): T {
    return withLock(join(this.root, "index.lock"), () => {
      this.indexMtimeMs = -1;
      const index = structuredClone(this.read());
      const result = change(index);
      const path = join(this.root, "index.json");
      writeFileSync(`${path}.tmp`, JSON.stringify(index, null, 1));
      renameSync(`${path}.tmp`, path);
      this.index = index;
      this.indexMtimeMs = statSync(path).mtimeMs;
      return result;
    });
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
