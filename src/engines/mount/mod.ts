// The mount engine: the only way a sandbox or a host user reaches a file system. It resolves a
// target (`fs-id[:subpath[:fsap-id]]`), checks the mount target, access point and policy, creates
// an access point's root directory on first mount, and presents the result at a host path: a bind
// mount when nothing needs enforcing, Moor's FUSE daemon otherwise.

import { mkdir } from "node:fs/promises";
import { conflict, notFound } from "../../errors/mod.js";
import { fileSystemDirectory } from "../filesystems/mod.js";
import { type ClientContext, type EfsObjectReader, type MountRequest, type Resolution, resolveMount } from "./_resolve.js";
import { ensureDirectory } from "./_root-directory.js";
import { mountsBelow, readMounts } from "../hostmounts/mod.js";
import { answers, bindMount, ensurePlaceholder, isPlaceholder, mountsAt, unmountEverything, unmountTop } from "./_mount-points.js";

export type { EfsObjectReader, MountRequest, Resolution } from "./_resolve.js";
export { mountRefusalCodes } from "./_resolve.js";
export { unmountEverything } from "./_mount-points.js";


/** Options for an enforced mount; the FUSE engine (src/engines/fuse) fulfils this port. */
export interface EnforcedMountOptions {
  source: string;
  /** The file system's root: `source` is opened beneath it through no symbolic link. */
  within?: string;
  mountPoint: string;
  identity?: { uid: number; gid: number; secondaryGids: number[] };
  readOnly: boolean;
  squashRoot: boolean;
  onBytesWritten?: (deltaBytes: number) => void;
}

export interface EnforcedMounter {
  mount(options: EnforcedMountOptions): Promise<{ unmount(): Promise<void> }>;
}

export interface MountEngineOptions {
  /** File systems, access points and mount targets as the control plane holds them. */
  store: EfsObjectReader;
  backingRoot: string;
  client: ClientContext;
  enforced: EnforcedMounter;
  /** Tells the file-system meter that a file system's data changed by this many bytes. */
  onBytesWritten?: (fileSystemId: string, deltaBytes: number) => void;
}

export interface ActiveMount {
  mountPoint: string;
  target: string;
  fileSystemId: string;
  accessPointId?: string;
  kind: "bind" | "fuse";
  readOnly: boolean;
  owner: "host" | "pod";
  unmount(): Promise<void>;
}

export class MountEngine {
  readonly #options: MountEngineOptions;
  readonly #mounts = new Map<string, ActiveMount>();

  constructor(options: MountEngineOptions) {
    this.#options = options;
  }

  /** Checks the request as a mount would, without mounting: the error a mount would raise. */
  resolve(request: MountRequest): Resolution {
    return resolveMount(this.#options.store, this.#options.client, request);
  }

  /** `owner` "host" (the default) is a person's `moor efs mount`; "pod" is a sandbox's volume. */
  async mount(request: MountRequest & { mountPoint: string; owner?: "host" | "pod" }): Promise<ActiveMount> {
    const existing = this.#mounts.get(request.mountPoint);
    if (existing?.target === request.target) return existing; // The agent asks again after its restart.
    if (existing) throw conflict(`Cannot mount "${request.target}" at "${request.mountPoint}": "${existing.target}" is mounted there already`);
    const resolution = this.resolve(request);
    const fileSystemRoot = fileSystemDirectory(this.#options.backingRoot, resolution.fileSystemId);
    const source = await ensureDirectory(fileSystemRoot, resolution, request.target);
    await mkdir(request.mountPoint, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTCONN") throw error; // A dead mount from an earlier Moor: mounted over below.
    });
    const adopted = await this.#adopt(request.mountPoint);
    const base = {
      mountPoint: request.mountPoint,
      target: request.target,
      fileSystemId: resolution.fileSystemId,
      ...(resolution.accessPoint ? { accessPointId: resolution.accessPoint.metadata.name } : {}),
      readOnly: resolution.readOnly,
      owner: request.owner ?? "host",
    };
    let active: ActiveMount;
    if (adopted) {
      active = { ...base, kind: resolution.native ? "bind" : "fuse", unmount: () => unmountEverything(request.mountPoint) };
    } else if (resolution.native) {
      await bindMount(source, request.mountPoint, resolution.readOnly);
      active = { ...base, kind: "bind", unmount: () => unmountEverything(request.mountPoint) };
    } else {
      const meter = this.#options.onBytesWritten;
      const handle = await this.#options.enforced.mount({
        source,
        within: fileSystemRoot,
        mountPoint: request.mountPoint,
        ...(resolution.posixUser ? { identity: resolution.posixUser } : {}),
        readOnly: resolution.readOnly,
        squashRoot: resolution.squashRoot,
        ...(meter ? { onBytesWritten: (delta: number) => meter(resolution.fileSystemId, delta) } : {}),
      });
      active = {
        ...base,
        kind: "fuse",
        unmount: async () => {
          await handle.unmount();
          await unmountEverything(request.mountPoint);
        },
      };
    }
    this.#mounts.set(request.mountPoint, active);
    return active;
  }

  async unmount(mountPoint: string): Promise<void> {
    const active = this.#mounts.get(mountPoint);
    if (!active) throw notFound(`Cannot unmount "${mountPoint}": nothing Moor mounted is there`);
    await active.unmount();
    this.#mounts.delete(mountPoint);
  }

  /**
   * A bind mount left by an earlier Moor is kept when it still answers. An enforced one (its
   * daemon went with that Moor) is mounted over: the new mount stacks on the dead one, and so
   * propagates into the sandboxes that still hold the dead one.
   */
  async #adopt(mountPoint: string): Promise<boolean> {
    await ensurePlaceholder(mountPoint);
    const top = (await mountsAt(mountPoint)).at(-1);
    if (!top || isPlaceholder(top) || top.fsType.startsWith("fuse")) return false;
    if (await answers(mountPoint)) return true;
    await unmountTop(mountPoint).catch(() => {});
    return this.#adopt(mountPoint);
  }

  list(): ActiveMount[] {
    return [...this.#mounts.values()];
  }

  /**
   * Moor stopping: host mounts go; pods' mounts stay for the sandboxes that keep running (a bind
   * mount needs no daemon; an enforced one stays dead until the next Moor mounts over it).
   */
  async stop(): Promise<void> {
    for (const mount of this.list()) {
      if (mount.owner === "host") await this.unmount(mount.mountPoint).catch((error) => console.error(`moor: unmounting "${mount.mountPoint}" failed:`, error));
    }
  }

  /** Whether a mount point belongs to a pod's volume (kept across a stop of Moor). */
  isPodMount(mountPoint: string): boolean {
    return this.#mounts.get(mountPoint)?.owner === "pod";
  }

  async unmountAll(): Promise<void> {
    for (const mountPoint of [...this.#mounts.keys()]) {
      await this.unmount(mountPoint).catch((error) => console.error(`moor: unmounting "${mountPoint}" failed:`, error));
    }
  }
}

/** Undoes `prepareMountRoot` once nothing is mounted below the directory any more. */
export async function releaseMountRoot(directory: string): Promise<void> {
  if (mountsBelow(await readMounts(), directory).length > 0) return;
  while ((await mountsAt(directory)).length > 0) await unmountTop(directory);
}

export { createPodVolumeProvider, type PodVolumeProvider, type PodVolumeRequest } from "./_pod-volumes.js";
export type { VolumeMountRequest, VolumeProvider } from "./_provider.js";
