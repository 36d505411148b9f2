// Dynamic provisioning for the efs.csi.aws.com driver (provisioningMode efs-ap): one access
// point per claim, the lowest free GID of the class's range, a root directory named by the
// class's pattern; and the reverse on deletion, as the driver's controller does.

import { createHash, randomUUID } from "node:crypto";
import {
  accessPointRootPath,
  driverName,
  lowestFreeGid,
  parseProvisioningParameters,
  parseVolumeHandle,
  isVolumeTarget,
  type ProvisioningParameters,
} from "../../domain/csi/mod.js";
import { invalid, limitExceeded } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";

/** What provisioning needs from the EFS control plane. */
export interface AccessPointPort {
  /** Creates an access point; with a client token already used, returns that access point. */
  create(input: {
    fileSystemId: string;
    clientToken: string;
    posixUser: { uid: number; gid: number };
    rootDirectory: { path: string; creationInfo: { ownerUid: number; ownerGid: number; permissions: string } };
    tags: { key: string; value: string }[];
  }): Promise<{ accessPointId: string; posixUser: { uid: number; gid: number }; rootPath: string }>;
  /** Removes the access point; a missing one is success. */
  delete(accessPointId: string): Promise<void>;
  /** The GIDs of the PosixUsers of the file system's access points. */
  usedGids(fileSystemId: string): Promise<number[]>;
  /** Describes an access point, or undefined when it is gone. */
  describe(accessPointId: string): Promise<{ fileSystemId: string; rootPath: string } | undefined>;
  /** Deletes a directory tree of the file system (the access point's root). */
  removeDirectory(fileSystemId: string, path: string): Promise<void>;
}

export const provisionedByAnnotation = "pv.kubernetes.io/provisioned-by";
export const deleteRootAnnotation = "efs.moor.dev/delete-root-directory";

export function provisioningParameters(storageClass: StoredObject): ProvisioningParameters {
  const parsed = parseProvisioningParameters(storageClass.parameters ?? {});
  if ("error" in parsed) throw invalid(parsed.error);
  return parsed;
}

/** Creates the access point and returns the PersistentVolume that serves the claim. */
export async function provisionVolume(port: AccessPointPort, storageClass: StoredObject, claim: StoredObject, clusterName: string): Promise<StoredObject> {
  const parameters = provisioningParameters(storageClass);
  const pvName = `pvc-${claim.metadata.uid}`;
  const uidGid = await chooseIdentity(port, parameters);
  const rootPath = accessPointRootPath(parameters, {
    pvName,
    pvcName: claim.metadata.name,
    pvcNamespace: claim.metadata.namespace ?? "default",
    unique: randomUUID(),
  });
  if (typeof rootPath !== "string") throw invalid(rootPath.error);
  const clientToken = parameters.reuseAccessPoint ? createHash("sha256").update(claim.metadata.name).digest("hex") : pvName;
  const accessPoint = await port.create({
    fileSystemId: parameters.fileSystemId,
    clientToken: clientToken.slice(0, 64),
    posixUser: uidGid,
    rootDirectory: { path: rootPath, creationInfo: { ownerUid: uidGid.uid, ownerGid: uidGid.gid, permissions: parameters.directoryPerms } },
    tags: [
      { key: "efs.csi.aws.com/cluster", value: "true" },
      { key: "kubernetes.io/created-for/pvc/name", value: claim.metadata.name },
      { key: "kubernetes.io/created-for/pvc/namespace", value: claim.metadata.namespace ?? "default" },
      { key: "kubernetes.io/created-for/pv/name", value: pvName },
      { key: "kubernetes.io/cluster", value: clusterName },
    ],
  });
  const annotations: Record<string, string> = { [provisionedByAnnotation]: driverName, "volume.kubernetes.io/provisioner-deletion-secret-name": "", "volume.kubernetes.io/provisioner-deletion-secret-namespace": "" };
  if (parameters.deleteRootDirectory) annotations[deleteRootAnnotation] = "true";
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: pvName, annotations, finalizers: ["kubernetes.io/pv-protection"] },
    spec: {
      accessModes: claim.spec?.accessModes ?? ["ReadWriteMany"],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? "5Gi" },
      claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
      csi: { driver: driverName, volumeHandle: `${parameters.fileSystemId}::${accessPoint.accessPointId}`, volumeAttributes: { "storage.kubernetes.io/csiProvisionerIdentity": "moor-efs-csi" } },
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete",
      storageClassName: storageClass.metadata.name,
      volumeMode: "Filesystem",
      ...(storageClass.mountOptions ? { mountOptions: storageClass.mountOptions } : {}),
    },
    status: { phase: "Bound" },
  };
}

/** DeleteVolume: removes the access point (and its root directory when the class asked). */
export async function deleteVolume(port: AccessPointPort, volume: StoredObject): Promise<void> {
  const handle = volume.spec?.csi?.volumeHandle as string | undefined;
  const target = handle ? parseVolumeHandle(handle) : undefined;
  if (!target || !isVolumeTarget(target) || !target.accessPointId) return; // Static or unparsable: nothing to delete.
  if (volume.metadata.annotations?.[deleteRootAnnotation] === "true") {
    const described = await port.describe(target.accessPointId);
    if (described && described.rootPath !== "/") await port.removeDirectory(described.fileSystemId, described.rootPath);
  }
  await port.delete(target.accessPointId);
}

async function chooseIdentity(port: AccessPointPort, parameters: ProvisioningParameters): Promise<{ uid: number; gid: number }> {
  if (parameters.uid !== undefined && parameters.gid !== undefined) return { uid: parameters.uid, gid: parameters.gid };
  const gid = lowestFreeGid(parameters, await port.usedGids(parameters.fileSystemId));
  if (gid === undefined) {
    throw limitExceeded(`Failed to locate a free GID for given file system: ${parameters.fileSystemId}. Please create a new storage class with a new file-system`);
  }
  return { uid: parameters.uid ?? gid, gid: parameters.gid ?? gid };
}
