// The EBS CSI driver's node side, for the node agent: a pod's claim bound to a block-volume PV
// is attached to the pod's node (through a port to the control plane, which refuses a second
// node while the first still uses it: ReadWriteOnce), staged once on the host and bound into the
// pod's own host path. Any other volume goes to the next provider (the EFS mount engine), so the
// agent knows nothing of EBS.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { VolumeProvider } from "../mount/mod.js";
import { invalid, quote, unavailable } from "../../errors/mod.js";
import { mount, readMounts, unmount } from "../hostmounts/mod.js";
import { blockVolumeOf } from "./_handle.js";
import type { BlockVolumeEngine } from "./mod.js";

/** Attachments as the control plane records them (EC2's volume state and attachments). */
export interface VolumeAttachmentPort {
  /** Records the volume attached to the node; refuses (Conflict) while another node uses it. */
  attach(volumeId: string, nodeName: string): Promise<void>;
  /** Records the volume detached from the node. */
  detach(volumeId: string, nodeName: string): Promise<void>;
  /** Reports the size of the staged file system (a pending expansion finishes at staging). */
  staged(volumeId: string, fileSystemBytes: number): Promise<void>;
}

export interface BlockVolumeProviderOptions {
  engine: BlockVolumeEngine;
  attachments: VolumeAttachmentPort;
  /** Per-pod host paths: `<podsRoot>/<pod uid>/<volume name>`. */
  podsRoot: string;
  /** The provider for every volume that is not a block volume. */
  next: VolumeProvider;
}

export function createBlockVolumeProvider(options: BlockVolumeProviderOptions): VolumeProvider {
  const { engine, attachments, podsRoot, next } = options;
  /** The pods' host paths that use each staged volume, so the last one out unstages it. */
  const users = new Map<string, Set<string>>();
  /** One operation at a time per volume: a pod's release must not unstage under another's mount. */
  const queues = new Map<string, Promise<unknown>>();
  const serially = <T>(volumeId: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(volumeId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    queues.set(volumeId, next);
    void next.catch(() => {}).finally(() => {
      if (queues.get(volumeId) === next) queues.delete(volumeId);
    });
    return next;
  };
  const release = async (volumeId: string, nodeName: string, hostPath: string) => {
    while ((await readMounts()).some((entry) => entry.mountPoint === hostPath)) await unmount(hostPath, { lazyIfBusy: true });
    const left = users.get(volumeId);
    left?.delete(hostPath);
    if (left && left.size > 0) return;
    users.delete(volumeId);
    await engine.unstage(volumeId);
    await attachments.detach(volumeId, nodeName);
  };
  return {
    async mount(request) {
      const target = blockVolumeOf(request.pv);
      if (!target) return next.mount(request);
      return serially(target.volumeId, () => mountBlock(request, target));
    },
  };

  async function mountBlock(request: Parameters<VolumeProvider["mount"]>[0], target: NonNullable<ReturnType<typeof blockVolumeOf>>) {
    const { claim, pv, pod } = request;
    if (claim?.status?.phase !== "Bound") throw unavailable(`persistentvolumeclaim ${quote(claim?.metadata.name ?? request.volumeName)} is not bound`);
    if (target.fsType !== "ext4") throw invalid(`Cannot mount volume ${quote(pv!.metadata.name)}: file-system type ${quote(target.fsType)} is not supported, only "ext4"`);
    const nodeName = pod.spec?.nodeName ?? "";
    await attachments.attach(target.volumeId, nodeName);
    const stagingPath = await engine.stage(target.volumeId);
    await attachments.staged(target.volumeId, await engine.fileSystemBytes(target.volumeId));
    const hostPath = join(podsRoot, pod.metadata.uid ?? "pod", request.volumeName);
    await mkdir(hostPath, { recursive: true });
    const mounted = (await readMounts()).some((entry) => entry.mountPoint === hostPath);
    if (!mounted) await mount(stagingPath, hostPath, { bind: true, ...(request.readOnly || target.readOnly ? { options: ["ro"] } : {}) });
    users.set(target.volumeId, (users.get(target.volumeId) ?? new Set()).add(hostPath));
    return { hostPath, release: () => serially(target.volumeId, () => release(target.volumeId, nodeName, hostPath)) };
  }
}
