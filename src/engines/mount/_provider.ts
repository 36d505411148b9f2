// The port through which the node agent mounts persistentVolumeClaim and csi volumes: the mount
// engine declares and implements it, and the agent (which may import engines) consumes it.

import type { PersistentVolume, PersistentVolumeClaim, Pod, Volume } from "../../domain/kube/mod.js";

/**
 * The mount engine's port for persistentVolumeClaim and csi volumes: it presents the volume at a
 * host path the agent binds into the containers (rslave, so a repaired mount reaches them). A
 * MoorError keeps the pod in ContainerCreating with a FailedMount event, retried with back-off.
 */
export interface VolumeProvider {
  mount(request: VolumeMountRequest): Promise<{ hostPath: string; release(): Promise<void> }>;
}

export interface VolumeMountRequest {
  pod: Pod;
  volumeName: string;
  /** The PodSpec volume (persistentVolumeClaim or csi). */
  volume: Volume;
  /** The claim and its bound volume, when the agent found them; otherwise the provider resolves. */
  claim?: PersistentVolumeClaim;
  pv?: PersistentVolume;
  /** The pod's availability zone ("us-east-1a"). */
  zone: string;
  readOnly: boolean;
  /** The pod's address, once its sandbox has one: its security groups' check needs it. */
  podIp?: string;
}
