// Block volumes, what EBS is to EKS node groups: each volume is one ext4 file system made on a
// sparse file under the data directory (`<root>/<vol-id>.img`), reached through a loop device.
// The file's length is the volume's size, so the file system cannot hold more (ENOSPC past it);
// an unwritten volume takes no disk. A volume is mounted once per host at its staging path (as
// kubelet stages a device for a node) and bound from there into each pod that uses it.
//
// Lifecycle: create() once, stage() and unstage() as pods come and go, expand() grows the file
// and the file system (online when staged: losetup -c, then resize2fs), remove() at the end.
// The staging mount outlives Moor (DESIGN decision 14): stage() adopts one it finds.

import { existsSync } from "node:fs";
import { mkdir, open, rename, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { conflict, notFound, quote } from "../../errors/mod.js";
import { command } from "../command/mod.js";
import { mount, readMounts, unmount } from "../hostmounts/mod.js";

export { createBlockVolumeProvider, type BlockVolumeProviderOptions, type VolumeAttachmentPort } from "./_provider.js";
export { blockVolumeOf } from "./_handle.js";

export interface BlockVolumeEngineOptions {
  /** Where the volumes' files live (under the data directory). */
  root: string;
  /** Where volumes are staged (mounted once per host). */
  stagingRoot: string;
}

export class BlockVolumeEngine {
  readonly #options: BlockVolumeEngineOptions;

  constructor(options: BlockVolumeEngineOptions) {
    this.#options = options;
  }

  fileOf(volumeId: string): string {
    return join(this.#options.root, `${volumeId}.img`);
  }

  stagingPathOf(volumeId: string): string {
    return join(this.#options.stagingRoot, volumeId);
  }

  exists(volumeId: string): boolean {
    return existsSync(this.fileOf(volumeId));
  }

  /** Makes the volume's file and its ext4 file system; a volume that exists already is kept. */
  async create(volumeId: string, sizeBytes: number): Promise<void> {
    const file = this.fileOf(volumeId);
    if (existsSync(file)) return;
    await mkdir(this.#options.root, { recursive: true });
    const partial = `${file}.new`;
    const handle = await open(partial, "w");
    await handle.truncate(sizeBytes);
    await handle.close();
    // lazy_itable_init keeps mkfs from writing the inode tables: a 20 GiB volume is made in milliseconds.
    await command("mkfs.ext4", ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", "-L", volumeId.slice(0, 16), partial]);
    await rm(file, { force: true });
    await rename(partial, file);
  }

  /** Mounts the volume at its staging path (once per host) and returns that path. */
  async stage(volumeId: string, options: { readOnly?: boolean } = {}): Promise<string> {
    const file = this.fileOf(volumeId);
    if (!existsSync(file)) throw notFound(`Cannot attach volume ${quote(volumeId)}: it has no data on this host`);
    const stagingPath = this.stagingPathOf(volumeId);
    if (await this.#loopOf(volumeId)) {
      if (await this.#isStaged(stagingPath)) return stagingPath;
      throw conflict(`Cannot attach volume ${quote(volumeId)}: its loop device is in use elsewhere`);
    }
    await mkdir(stagingPath, { recursive: true });
    await mount(file, stagingPath, { type: "ext4", options: ["loop", options.readOnly ? "ro" : "rw", "noatime"] });
    return stagingPath;
  }

  /** Unmounts the staging mount; the loop device goes with it (mount -o loop sets autoclear). */
  async unstage(volumeId: string): Promise<void> {
    const stagingPath = this.stagingPathOf(volumeId);
    while (await this.#isStaged(stagingPath)) await unmount(stagingPath, { lazyIfBusy: true });
    await rm(stagingPath, { recursive: true, force: true });
  }

  isStaged(volumeId: string): Promise<boolean> {
    return this.#isStaged(this.stagingPathOf(volumeId));
  }

  /** Grows the volume to `sizeBytes`: the file, then the file system (online when staged). */
  async expand(volumeId: string, sizeBytes: number): Promise<void> {
    const file = this.fileOf(volumeId);
    if (!existsSync(file)) throw notFound(`Cannot expand volume ${quote(volumeId)}: it has no data on this host`);
    if ((await stat(file)).size >= sizeBytes) return;
    await truncate(file, sizeBytes);
    const loop = await this.#loopOf(volumeId);
    if (loop) {
      await command("losetup", ["-c", loop]);
      await command("resize2fs", [loop]);
      return;
    }
    await command("e2fsck", ["-f", "-p", file], { allowFailure: true });
    await command("resize2fs", [file]);
  }

  /** The volume's size in bytes (its file's length). */
  async sizeBytes(volumeId: string): Promise<number> {
    return (await stat(this.fileOf(volumeId))).size;
  }

  /** Removes the volume's data; refused while it is staged. */
  async remove(volumeId: string): Promise<void> {
    if (await this.#loopOf(volumeId)) throw conflict(`Cannot delete volume ${quote(volumeId)}: it is attached`);
    await rm(this.fileOf(volumeId), { force: true });
  }

  async #isStaged(stagingPath: string): Promise<boolean> {
    return (await readMounts()).some((entry) => entry.mountPoint === stagingPath && entry.fsType === "ext4");
  }

  /** The loop device backed by the volume's file, if one is set up. */
  async #loopOf(volumeId: string): Promise<string | undefined> {
    const listed = await command("losetup", ["-j", this.fileOf(volumeId)], { allowFailure: true });
    const device = /^(\/dev\/loop\d+):/m.exec(listed.stdout)?.[1];
    return device;
  }
}
