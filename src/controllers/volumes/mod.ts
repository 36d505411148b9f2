// The volume controller: binds claims to PersistentVolumes (static binding by class, access
// modes, capacity, volumeName and claimRef; Immediate and WaitForFirstConsumer), provisions
// volumes for efs.csi.aws.com classes (one access point per claim), and releases, retains or
// deletes volumes whose claims are gone, as upstream's persistent-volume controller and the EFS
// CSI driver's provisioner do together. Classes of ebs.csi.aws.com and kubernetes.io/aws-ebs get
// block volumes (src/controllers/volumes/_block.ts), which also grow when their claim asks more.

import type { Clock } from "../../clock/mod.js";
import { driverName } from "../../domain/csi/mod.js";
import { createRecorder, type Recorder } from "../../events/mod.js";
import { isMoorError, quote } from "../../errors/mod.js";
import { keyOf, type Store, type StoredObject } from "../../store/mod.js";
import { selectedNodeAnnotation } from "../scheduler/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { bestMatch, claimClass, requestBytes } from "./_matching.js";
import { parseQuantity } from "../../domain/quantity/mod.js";
import { type AccessPointPort, deleteVolume, provisionVolume } from "./_provisioner.js";
import { type BlockVolumeStorage, claimKeyOfVolume, deleteBlockVolume, expandBlockVolume, isBlockProvisioner, provisionBlockVolume, resizePendingCondition, volumeIdOfPv } from "./_block.js";

export type { AccessPointPort } from "./_provisioner.js";
export type { BlockVolumeStorage } from "./_block.js";
export { claimZoneAnnotation, createBlockVolumeAttachments } from "./_block.js";
export { ensureBlockStorageClasses } from "./_classes.js";

export interface VolumeControllerOptions {
  store: Store;
  accessPoints: AccessPointPort;
  clusterName: string;
  clock: Clock;
  /** The block-volume engine; without it, EBS classes wait as for an absent provisioner. */
  blockVolumes?: BlockVolumeStorage;
}

const claimKind = "PersistentVolumeClaim";
const volumeKind = "PersistentVolume";

/** The volume controller as a component: `start()`, `stop()`, and `idle()`/`settled()` for tests. */
export function createVolumeController(options: VolumeControllerOptions): ControllerRuntime {
  const { store, clock } = options;
  const now = () => clock.now();
  const recorder = createRecorder(store, { component: "persistentvolume-controller" }, now);
  const provisionerRecorder = createRecorder(store, { component: `${driverName}_moor` }, now);
  const blockRecorder = createRecorder(store, { component: "ebs.csi.aws.com_moor" }, now);
  const controller: Controller = {
    name: "volume-controller",
    kinds: [claimKind, volumeKind, "StorageClass", "Volume"],
    keysFor: (event) => {
      const object = event.object;
      if (object.kind === "Volume") return claimKeyOfVolume(object);
      if (object.kind === claimKind) return [objectKey(keyOf(object)), ...volumesOfClaim(store, object)];
      if (object.kind === volumeKind) {
        const ref = object.spec?.claimRef;
        return [objectKey(keyOf(object)), ...(ref ? [objectKey({ kind: claimKind, namespace: ref.namespace, name: ref.name })] : []), ...pendingClaims(store)];
      }
      return pendingClaims(store);
    },
    allKeys: () => [...pendingClaims(store), ...store.list(volumeKind).items.map((volume) => objectKey(keyOf(volume)))],
    reconcile: async (key) => {
      const { kind, namespace, name } = splitKey(key);
      const context = { ...options, recorder, provisionerRecorder, blockRecorder };
      if (kind === claimKind) return reconcileClaim(context, namespace, name);
      return reconcileVolume(context, name);
    },
    resyncIntervalMs: 15_000,
  };
  return new ControllerRuntime({ name: "volume-controller", store, clock, controllers: [controller] });
}

/** Registers the efs.csi.aws.com driver, as EKS on Fargate has it built in. */
export function ensureCsiDriver(store: Store): void {
  if (store.get({ kind: "CSIDriver", name: driverName })) return;
  store.create({
    apiVersion: "storage.k8s.io/v1",
    kind: "CSIDriver",
    metadata: { name: driverName, annotations: { "moor.dev/built-in": "true" } },
    spec: { attachRequired: false, podInfoOnMount: false, requiresRepublish: false, storageCapacity: false, seLinuxMount: false, fsGroupPolicy: "ReadWriteOnceWithFSType", volumeLifecycleModes: ["Persistent"] },
  });
}

interface Context extends VolumeControllerOptions {
  recorder: Recorder;
  provisionerRecorder: Recorder;
  blockRecorder: Recorder;
}

function pendingClaims(store: Store): string[] {
  return store
    .list(claimKind)
    .items.filter((claim) => claim.status?.phase !== "Bound" || claimAsksMore(claim))
    .map((claim) => objectKey(keyOf(claim)));
}

function volumesOfClaim(store: Store, claim: StoredObject): string[] {
  return store
    .list(volumeKind)
    .items.filter((volume) => volume.spec?.claimRef?.name === claim.metadata.name && volume.spec?.claimRef?.namespace === claim.metadata.namespace)
    .map((volume) => objectKey(keyOf(volume)));
}

async function reconcileClaim(context: Context, namespace: string, name: string): Promise<void> {
  const { store } = context;
  let claim = store.get({ kind: claimKind, namespace, name });
  if (!claim || claim.metadata.deletionTimestamp) return;
  if (claim.spec?.volumeName && claim.status?.phase === "Bound") {
    const bound = store.get({ kind: volumeKind, name: claim.spec.volumeName });
    if (!bound) {
      updateClaimStatus(store, claim, "Lost");
      context.recorder.record(claim, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    }
    if (bound && claimAsksMore(claim)) await resize(context, claim, bound);
    return;
  }
  claim = assignDefaultClass(store, claim);
  const className = claimClass(claim);
  const storageClass = className ? store.get({ kind: "StorageClass", name: className }) : undefined;
  const volumes = store.list(volumeKind).items;
  if (claim.spec?.volumeName) {
    const volume = volumes.find((candidate) => candidate.metadata.name === claim!.spec.volumeName);
    if (volume && (!volume.spec?.claimRef || volume.spec.claimRef.uid === claim.metadata.uid || (!volume.spec.claimRef.uid && volume.spec.claimRef.name === name))) {
      bind(store, volume, claim);
    }
    return;
  }
  const waitsForConsumer = storageClass?.volumeBindingMode === "WaitForFirstConsumer";
  if (waitsForConsumer && !claim.metadata.annotations?.[selectedNodeAnnotation]) {
    context.recorder.record(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
    return;
  }
  const match = bestMatch(claim, volumes);
  if (match) {
    bind(store, match, claim);
    return;
  }
  if (storageClass?.provisioner === driverName) return provision(context, storageClass, claim);
  if (context.blockVolumes && isBlockProvisioner(storageClass?.provisioner)) return provisionBlock(context, storageClass!, claim);
  if (storageClass) {
    context.recorder.record(claim, "Normal", "ExternalProvisioning", `Waiting for a volume to be created either by the external provisioner '${storageClass.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    return;
  }
  context.recorder.record(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
}

/** Since Kubernetes 1.28 a claim without a class gets the default class when one exists. */
function assignDefaultClass(store: Store, claim: StoredObject): StoredObject {
  if (claim.spec?.storageClassName !== undefined && claim.spec?.storageClassName !== null) return claim;
  const defaultClass = store.list("StorageClass").items.find((sc) => sc.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
  if (!defaultClass) return claim;
  return store.update({ ...claim, spec: { ...claim.spec, storageClassName: defaultClass.metadata.name } });
}

async function provision(context: Context, storageClass: StoredObject, claim: StoredObject): Promise<void> {
  const { store } = context;
  const annotations = { ...claim.metadata.annotations, "volume.kubernetes.io/storage-provisioner": driverName, "volume.beta.kubernetes.io/storage-provisioner": driverName };
  if (claim.metadata.annotations?.["volume.kubernetes.io/storage-provisioner"] !== driverName) {
    claim = store.update({ ...claim, metadata: { ...claim.metadata, annotations } });
  }
  context.provisionerRecorder.record(claim, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`);
  let volume: StoredObject;
  try {
    volume = await provisionVolume(context.accessPoints, storageClass, claim, context.clusterName);
  } catch (error) {
    const code = isMoorError(error) && error.category === "LimitExceeded" ? "ResourceExhausted" : isMoorError(error) && error.category === "NotFound" ? "NotFound" : "InvalidArgument";
    const message = `failed to provision volume with StorageClass "${storageClass.metadata.name}": rpc error: code = ${code} desc = ${error instanceof Error ? error.message : String(error)}`;
    context.provisionerRecorder.record(claim, "Warning", "ProvisioningFailed", message);
    throw error;
  }
  store.transaction(() => {
    const current = store.get({ kind: claimKind, namespace: claim.metadata.namespace, name: claim.metadata.name });
    if (!current || current.metadata.uid !== claim.metadata.uid) return;
    const created = store.get({ kind: volumeKind, name: volume.metadata.name }) ?? store.create(volume);
    bind(store, created, current);
  });
  context.provisionerRecorder.record(claim, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${volume.metadata.name}`);
}

function bind(store: Store, volume: StoredObject, claim: StoredObject): void {
  store.transaction(() => {
    const claimRef = {
      kind: claimKind,
      apiVersion: "v1",
      namespace: claim.metadata.namespace,
      name: claim.metadata.name,
      uid: claim.metadata.uid,
      resourceVersion: claim.metadata.resourceVersion,
    };
    const currentVolume = store.get({ kind: volumeKind, name: volume.metadata.name })!;
    store.update({
      ...currentVolume,
      metadata: { ...currentVolume.metadata, annotations: { ...currentVolume.metadata.annotations, "pv.kubernetes.io/bound-by-controller": "yes" } },
      spec: { ...currentVolume.spec, claimRef },
      status: { ...currentVolume.status, phase: "Bound" },
    });
    const currentClaim = store.get({ kind: claimKind, namespace: claim.metadata.namespace, name: claim.metadata.name })!;
    store.update({
      ...currentClaim,
      metadata: {
        ...currentClaim.metadata,
        annotations: { ...currentClaim.metadata.annotations, "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" },
      },
      spec: { ...currentClaim.spec, volumeName: volume.metadata.name },
      status: { ...currentClaim.status, phase: "Bound", accessModes: currentVolume.spec?.accessModes, capacity: currentVolume.spec?.capacity },
    });
  });
}

function updateClaimStatus(store: Store, claim: StoredObject, phase: string): void {
  if (claim.status?.phase === phase) return;
  store.update({ ...claim, status: { ...claim.status, phase } });
}

async function reconcileVolume(context: Context, name: string): Promise<void> {
  const { store } = context;
  const volume = store.get({ kind: volumeKind, name });
  if (!volume) return;
  const ref = volume.spec?.claimRef;
  if (!ref) {
    if (volume.status?.phase !== "Available" && !volume.metadata.deletionTimestamp) store.update({ ...volume, status: { ...volume.status, phase: "Available" } });
    return;
  }
  const claim = store.get({ kind: claimKind, namespace: ref.namespace, name: ref.name });
  if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) return;
  if (!ref.uid) return; // Pre-bound to a claim that does not exist yet.
  const policy = volume.spec?.persistentVolumeReclaimPolicy ?? "Retain";
  if (policy === "Delete") {
    try {
      if (context.blockVolumes && volumeIdOfPv(volume)) await deleteBlockVolume(store, context.blockVolumes, volume);
      else await deleteVolume(context.accessPoints, volume);
    } catch (error) {
      context.recorder.record(volume, "Warning", "VolumeFailedDelete", error instanceof Error ? error.message : String(error));
      throw error;
    }
    if (store.get({ kind: volumeKind, name })) store.delete({ kind: volumeKind, name });
    return;
  }
  if (volume.status?.phase !== "Released") store.update({ ...volume, status: { ...volume.status, phase: "Released" } });
}

/** A bound claim whose request exceeds its status capacity: an expansion to do. */
function claimAsksMore(claim: StoredObject): boolean {
  if (claim.status?.phase !== "Bound") return false;
  if ((claim.status?.conditions ?? []).some((condition: { type: string }) => condition.type === resizePendingCondition)) return true;
  return requestBytes(claim) > (parseQuantity(claim.status?.capacity?.storage) ?? Number.MAX_SAFE_INTEGER);
}

/** Claim resize: the class must allow expansion; a block volume grows online (resize2fs). */
async function resize(context: Context, claim: StoredObject, volume: StoredObject): Promise<void> {
  if (!context.blockVolumes || !volumeIdOfPv(volume)) return;
  const storageClass = context.store.get({ kind: "StorageClass", name: claimClass(claim) });
  if (!storageClass?.allowVolumeExpansion) {
    context.recorder.record(claim, "Warning", "ExternalExpanding", `Ignoring the PVC: storage class ${quote(claimClass(claim))} does not allow volume expansion`);
    return;
  }
  const outcome = await expandBlockVolume(context.store, context.blockVolumes, claim, volume);
  if (outcome === "grown") context.blockRecorder.record(claim, "Normal", "FileSystemResizeSuccessful", `MountVolume.NodeExpandVolume succeeded for volume ${quote(volume.metadata.name)}`);
  if (outcome === "pending") context.blockRecorder.record(claim, "Normal", "FileSystemResizeRequired", "Require file system resize of volume on node");
}

async function provisionBlock(context: Context, storageClass: StoredObject, claim: StoredObject): Promise<void> {
  const { store } = context;
  const provisioner = storageClass.provisioner as string;
  if (claim.metadata.annotations?.["volume.kubernetes.io/storage-provisioner"] !== provisioner) {
    const annotations = { ...claim.metadata.annotations, "volume.kubernetes.io/storage-provisioner": provisioner, "volume.beta.kubernetes.io/storage-provisioner": provisioner };
    claim = store.update({ ...claim, metadata: { ...claim.metadata, annotations } });
  }
  context.blockRecorder.record(claim, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`);
  let volume: StoredObject;
  try {
    volume = await provisionBlockVolume(store, context.blockVolumes!, storageClass, claim, context.clock.now());
  } catch (error) {
    const message = `failed to provision volume with StorageClass "${storageClass.metadata.name}": rpc error: code = Internal desc = ${error instanceof Error ? error.message : String(error)}`;
    context.blockRecorder.record(claim, "Warning", "ProvisioningFailed", message);
    throw error;
  }
  store.transaction(() => {
    const current = store.get({ kind: claimKind, namespace: claim.metadata.namespace, name: claim.metadata.name });
    if (!current || current.metadata.uid !== claim.metadata.uid) return;
    const created = store.get({ kind: volumeKind, name: volume.metadata.name }) ?? store.create(volume);
    bind(store, created, current);
  });
  context.blockRecorder.record(claim, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${volume.metadata.name}`);
}

export { createEfsAccessPoints } from "./_efs-client.js";
