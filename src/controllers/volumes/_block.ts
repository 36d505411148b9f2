// Block volumes for the ebs.csi.aws.com and kubernetes.io/aws-ebs classes, as the EBS CSI
// driver's controller does them: a claim gets an EC2 Volume (kind Volume, `vol-` id, in the
// selected node's zone) with an ext4 file system on the block-volume engine, and a PV naming it;
// a larger request grows the volume and its file system; reclaim Delete removes the data. The
// attachment records (EC2's `in-use` and its attachments) are the agent's port, implemented here.

import { createHash } from "node:crypto";
import {
  blockClassParameters,
  bytesOfGiB,
  ebsCsiProvisioner,
  firstDeviceName,
  inTreeEbsProvisioner,
  sizeGiBFor,
  volumeApiVersion,
  volumeIdFrom,
  volumeKind,
  type VolumeObject,
} from "../../domain/blockvolumes/mod.js";
import { conflict, invalid, quote } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { objectKey } from "../runtime/mod.js";
import { selectedNodeAnnotation, zoneLabel } from "../scheduler/mod.js";
import { requestBytes } from "./_matching.js";

/** What the controller needs of the block-volume engine (src/engines/blockvolumes). */
export interface BlockVolumeStorage {
  create(volumeId: string, sizeBytes: number): Promise<void>;
  /** "pending" when the file system grows only at the volume's next staging. */
  expand(volumeId: string, sizeBytes: number): Promise<"done" | "pending">;
  remove(volumeId: string): Promise<void>;
}

export function isBlockProvisioner(provisioner: string | undefined): boolean {
  return provisioner === ebsCsiProvisioner || provisioner === inTreeEbsProvisioner;
}

/** The volume id a PV names, for either driver. */
export function volumeIdOfPv(volume: StoredObject): string | undefined {
  if (volume.spec?.csi?.driver === ebsCsiProvisioner) return volume.spec.csi.volumeHandle;
  const inTree = volume.spec?.awsElasticBlockStore?.volumeID as string | undefined;
  return inTree?.split("/").at(-1);
}

/** A claim may name its zone (Moor's own annotation, used for a DB instance's volume). */
export const claimZoneAnnotation = "moor.dev/zone";

function zoneFor(store: Store, claim: StoredObject): string {
  const asked = claim.metadata.annotations?.[claimZoneAnnotation];
  if (asked) return asked;
  const selected = claim.metadata.annotations?.[selectedNodeAnnotation];
  const node = selected ? store.get({ kind: "Node", name: selected }) : undefined;
  const nodes = store.list("Node").items.filter((candidate) => candidate.metadata.labels?.["eks.amazonaws.com/nodegroup"]);
  const zone = node?.metadata.labels?.[zoneLabel] ?? nodes[0]?.metadata.labels?.[zoneLabel];
  if (zone) return zone;
  const zones = store.list("Subnet").items.map((subnet) => subnet.spec?.availabilityZone as string).filter(Boolean).sort();
  return zones[0] ?? "us-east-1a";
}

/** Creates the claim's volume (idempotently: its id comes from the claim's uid) and returns its PV. */
export async function provisionBlockVolume(store: Store, storage: BlockVolumeStorage, storageClass: StoredObject, claim: StoredObject, now: Date): Promise<StoredObject> {
  const parameters = blockClassParameters(storageClass.provisioner, storageClass.parameters ?? {});
  if ("error" in parameters) throw invalid(parameters.error);
  const pvName = `pvc-${claim.metadata.uid}`;
  const volumeId = volumeIdFrom(createHash("sha256").update(claim.metadata.uid ?? pvName).digest("hex"));
  const sizeGiB = sizeGiBFor(requestBytes(claim));
  const zone = zoneFor(store, claim);
  if (!store.get({ kind: volumeKind, name: volumeId })) {
    const tags = [
      { Key: "CSIVolumeName", Value: pvName },
      { Key: "ebs.csi.aws.com/cluster", Value: "true" },
      { Key: "kubernetes.io/created-for/pvc/name", Value: claim.metadata.name },
      { Key: "kubernetes.io/created-for/pvc/namespace", Value: claim.metadata.namespace ?? "default" },
      { Key: "kubernetes.io/created-for/pv/name", Value: pvName },
    ];
    const object: VolumeObject = {
      apiVersion: volumeApiVersion,
      kind: volumeKind,
      metadata: { name: volumeId },
      spec: { sizeGiB, volumeType: parameters.volumeType, availabilityZone: zone, createTime: now.toISOString(), tags },
      status: { state: "creating", attachments: [] },
    };
    store.create(object as unknown as StoredObject);
  }
  await storage.create(volumeId, bytesOfGiB(sizeGiB));
  setVolumeState(store, volumeId, (status) => (status.state === "creating" ? { ...status, state: "available", fileSystemBytes: bytesOfGiB(sizeGiB) } : status));
  const inTree = storageClass.provisioner === inTreeEbsProvisioner;
  const source = inTree
    ? { awsElasticBlockStore: { volumeID: `aws://${zone}/${volumeId}`, fsType: parameters.fsType } }
    : { csi: { driver: ebsCsiProvisioner, volumeHandle: volumeId, fsType: parameters.fsType, volumeAttributes: { "storage.kubernetes.io/csiProvisionerIdentity": "moor-ebs-csi" } } };
  const topologyKey = inTree ? zoneLabel : "topology.ebs.csi.aws.com/zone";
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: pvName, annotations: { "pv.kubernetes.io/provisioned-by": storageClass.provisioner }, finalizers: ["kubernetes.io/pv-protection"] },
    spec: {
      accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
      capacity: { storage: `${sizeGiB}Gi` },
      claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
      ...source,
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: topologyKey, operator: "In", values: [zone] }] }] } },
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete",
      storageClassName: storageClass.metadata.name,
      volumeMode: "Filesystem",
    },
    status: { phase: "Bound" },
  };
}

/** Reclaim Delete: the volume's data and its EC2 object go (refused while attached). */
export async function deleteBlockVolume(store: Store, storage: BlockVolumeStorage, volume: StoredObject): Promise<void> {
  const volumeId = volumeIdOfPv(volume);
  if (!volumeId) return;
  const object = store.get({ kind: volumeKind, name: volumeId }) as unknown as VolumeObject | undefined;
  if (object && object.status.attachments.length > 0) throw conflict(`Cannot delete volume ${quote(volumeId)}: it is attached to ${quote(object.status.attachments[0]!.nodeName)}`);
  await storage.remove(volumeId);
  if (object) store.delete({ kind: volumeKind, name: volumeId });
}

export const resizePendingCondition = "FileSystemResizePending";

/**
 * Grows a bound claim's volume to its request: the volume and the PV at once, the claim's
 * capacity once the file system has grown (now, or at the volume's next staging, with upstream's
 * FileSystemResizePending condition meanwhile). Says what happened.
 */
export async function expandBlockVolume(store: Store, storage: BlockVolumeStorage, claim: StoredObject, volume: StoredObject): Promise<"grown" | "pending" | "none"> {
  const volumeId = volumeIdOfPv(volume);
  const object = volumeId ? (store.get({ kind: volumeKind, name: volumeId }) as unknown as VolumeObject | undefined) : undefined;
  if (!volumeId || !object) return "none";
  const sizeGiB = Math.max(object.spec.sizeGiB, sizeGiBFor(requestBytes(claim)));
  const wantedBytes = bytesOfGiB(sizeGiB);
  // A pending resize is retried only when the size asked changes: staging finishes it.
  const pending = ((claim.status?.conditions ?? []) as { type: string }[]).some((condition) => condition.type === resizePendingCondition);
  if (sizeGiB > object.spec.sizeGiB || (!pending && (object.status.fileSystemBytes ?? 0) < wantedBytes)) {
    const outcome = await storage.expand(volumeId, wantedBytes);
    store.transaction(() => {
      const current = store.get({ kind: volumeKind, name: volumeId })!;
      const status = outcome === "done" ? { ...current.status, fileSystemBytes: wantedBytes } : current.status;
      if (current.spec.sizeGiB !== sizeGiB || status !== current.status) store.update({ ...current, spec: { ...current.spec, sizeGiB }, status });
      const pv = store.get({ kind: "PersistentVolume", name: volume.metadata.name })!;
      if (pv.spec.capacity?.storage !== `${sizeGiB}Gi`) store.update({ ...pv, spec: { ...pv.spec, capacity: { ...pv.spec.capacity, storage: `${sizeGiB}Gi` } } });
    });
  }
  const grownBytes = (store.get({ kind: volumeKind, name: volumeId })!.status as VolumeObject["status"]).fileSystemBytes ?? 0;
  return store.transaction(() => {
    const current = store.get({ kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name })!;
    const conditions = (current.status?.conditions ?? []) as { type: string }[];
    const others = conditions.filter((condition) => condition.type !== resizePendingCondition);
    if (grownBytes >= wantedBytes) {
      store.update({ ...current, status: { ...current.status, conditions: others, capacity: { ...current.status?.capacity, storage: `${sizeGiB}Gi` } } });
      return "grown";
    }
    if (others.length === conditions.length) {
      const pending = { type: resizePendingCondition, status: "True", lastProbeTime: null, message: "Waiting for user to (re-)start a pod to finish file system resize of volume on node." };
      store.update({ ...current, status: { ...current.status, conditions: [...others, pending] } });
    }
    return "pending";
  });
}

/** The claim an EC2 Volume was made for (its provisioning tags), as a controller key. */
export function claimKeyOfVolume(volume: StoredObject): string[] {
  const tags = (volume.spec?.tags ?? []) as { Key: string; Value: string }[];
  const name = tags.find((tag) => tag.Key === "kubernetes.io/created-for/pvc/name")?.Value;
  const namespace = tags.find((tag) => tag.Key === "kubernetes.io/created-for/pvc/namespace")?.Value;
  return name && namespace ? [objectKey({ kind: "PersistentVolumeClaim", namespace, name })] : [];
}

function setVolumeState(store: Store, volumeId: string, change: (status: VolumeObject["status"]) => VolumeObject["status"]): void {
  store.transaction(() => {
    const current = store.get({ kind: volumeKind, name: volumeId });
    if (!current) return;
    const status = change(current.status as VolumeObject["status"]);
    if (JSON.stringify(status) !== JSON.stringify(current.status)) store.update({ ...current, status });
  });
}

/** Whether a pod on the node still uses the volume (a running or terminating pod naming a claim bound to it). */
function usedOnNode(store: Store, volumeId: string, nodeName: string): boolean {
  const pvs = new Set(store.list("PersistentVolume").items.filter((pv) => volumeIdOfPv(pv) === volumeId).map((pv) => pv.metadata.name));
  return store.list("Pod").items.some((pod) => {
    if (pod.spec?.nodeName !== nodeName || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return false;
    return ((pod.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName: string } }[]).some((entry) => {
      const claimName = entry.persistentVolumeClaim?.claimName;
      const claim = claimName ? store.get({ kind: "PersistentVolumeClaim", namespace: pod.metadata.namespace, name: claimName }) : undefined;
      return claim?.spec?.volumeName !== undefined && pvs.has(claim.spec.volumeName);
    });
  });
}

/** The agent's attachment port over the store: one node at a time (ReadWriteOnce). */
export function createBlockVolumeAttachments(store: Store, clock: { now(): Date }) {
  return {
    async attach(volumeId: string, nodeName: string): Promise<void> {
      store.transaction(() => {
        const current = store.get({ kind: volumeKind, name: volumeId });
        if (!current) throw invalid(`Cannot attach volume ${quote(volumeId)}: the volume does not exist`);
        const attachments = (current.status?.attachments ?? []) as VolumeObject["status"]["attachments"];
        const other = attachments.find((attachment) => attachment.nodeName !== nodeName);
        if (other && usedOnNode(store, volumeId, other.nodeName)) {
          const pv = store.list("PersistentVolume").items.find((candidate) => volumeIdOfPv(candidate) === volumeId);
          throw conflict(`Multi-Attach error for volume ${quote(pv?.metadata.name ?? volumeId)} Volume is already exclusively attached to one node and can't be attached to another`);
        }
        if (attachments.length === 1 && !other) return;
        const attachment = { nodeName, instanceId: nodeName, device: firstDeviceName, attachTime: clock.now().toISOString() };
        store.update({ ...current, status: { ...current.status, state: "in-use", attachments: [attachment] } });
      });
    },
    async detach(volumeId: string, nodeName: string): Promise<void> {
      setVolumeState(store, volumeId, (status) => {
        const attachments = status.attachments.filter((attachment) => attachment.nodeName !== nodeName);
        return { ...status, state: attachments.length > 0 ? "in-use" : "available", attachments };
      });
    },
    async staged(volumeId: string, fileSystemBytes: number): Promise<void> {
      setVolumeState(store, volumeId, (status) => ({ ...status, fileSystemBytes }));
    },
  };
}
