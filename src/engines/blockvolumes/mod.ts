// Block volumes, what EBS is to EKS node groups: each volume is one ext4 file system made on a
// sparse file under the data directory (`<root>/<vol-id>.img`), reached through a loop device.
// The file's length is the volume's size, so the file system cannot hold more (ENOSPC past it);
// an unwritten volume takes only its journal on the disk (128 MiB for 20 GiB). A volume is mounted once per host at its staging path (as
// kubelet stages a device for a node) and bound from there into each pod that uses it.
//
// Lifecycle: create() once, stage() and unstage() as pods come and go, expand() grows the file
// and the file system, remove() at the end. A staged volume grows online (losetup -c, then
// resize2fs) where the kernel lets Moor (it needs CAP_SYS_RESOURCE); otherwise its file system
// grows offline at its next stage(), as a CSI driver without online expansion does.
// The staging mount outlives Moor (DESIGN decision 14): stage() adopts one it finds.

import { existsSync } from "node:fs";
import { mkdir, open, rename, rm, rmdir, stat, truncate } from "node:fs/promises";
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
    // lazy_itable_init keeps mkfs from writing the inode tables: a 20 GiB volume is made in
    // milliseconds. The journal is written (zeroed) now, so the host file system holds its blocks:
    // a commit of the volume's journal is then an overwrite in the volume's file, not an
    // allocation the host must make durable too before the flush returns (bench/apps, MariaDB).
    await command("mkfs.ext4", ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=0,nodiscard", "-L", volumeId.slice(0, 16), partial]);
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
    if ((await stat(file)).size > (await this.fileSystemBytes(volumeId))) await this.#resizeOffline(file);
    // Direct I/O on the loop device: the volume's pages are cached once (in its own file system),
    // not again in the backing file's, and a flush goes straight to the disk.
    const loop = (await command("losetup", ["--find", "--show", "--direct-io=on", file])).stdout.trim();
    try {
      await mount(loop, stagingPath, { type: "ext4", options: [options.readOnly ? "ro" : "rw", "noatime"] });
    } catch (error) {
      await command("losetup", ["-d", loop], { allowFailure: true });
      throw error;
    }
    return stagingPath;
  }

  /** Unmounts the staging mount and detaches its loop device. */
  async unstage(volumeId: string): Promise<void> {
    const stagingPath = this.stagingPathOf(volumeId);
    while (await this.#isStaged(stagingPath)) await unmount(stagingPath, { lazyIfBusy: true });
    const loop = await this.#loopOf(volumeId);
    if (loop) await command("losetup", ["-d", loop], { allowFailure: true });
    // Never a recursive removal: a directory here may still be a mount's source.
    await rmdir(stagingPath).catch(() => {});
  }

  isStaged(volumeId: string): Promise<boolean> {
    return this.#isStaged(this.stagingPathOf(volumeId));
  }

  /**
   * Grows the volume to `sizeBytes`: the file, then the file system. "pending" when the volume is
   * staged and the kernel refused an online resize: its next stage() finishes it.
   */
  async expand(volumeId: string, sizeBytes: number): Promise<"done" | "pending"> {
    const file = this.fileOf(volumeId);
    if (!existsSync(file)) throw notFound(`Cannot expand volume ${quote(volumeId)}: it has no data on this host`);
    if ((await stat(file)).size < sizeBytes) await truncate(file, sizeBytes);
    if ((await this.fileSystemBytes(volumeId)) >= sizeBytes) return "done";
    const loop = await this.#loopOf(volumeId);
    if (!loop) {
      await this.#resizeOffline(file);
      return "done";
    }
    await command("losetup", ["-c", loop]);
    const online = await command("resize2fs", [loop], { allowFailure: true });
    return online.code === 0 ? "done" : "pending";
  }

  /** The size of the volume's file system, from its superblock (block count × block size). */
  async fileSystemBytes(volumeId: string): Promise<number> {
    const header = (await command("dumpe2fs", ["-h", this.fileOf(volumeId)])).stdout;
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(header)?.[1] ?? 0);
    return field("Block count") * field("Block size");
  }

  async #resizeOffline(file: string): Promise<void> {
    // e2fsck exits 1 when it fixed something, which is fine; resize2fs wants a checked file system.
    const checked = await command("e2fsck", ["-f", "-p", file], { allowFailure: true });
    if (checked.code > 1) throw conflict(`Cannot resize ${quote(file)}: e2fsck exited with ${checked.code}: ${checked.stdout}${checked.stderr}`);
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
