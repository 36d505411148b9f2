// A task's EFS volumes as the mount engine takes them: one PersistentVolume of efs.csi.aws.com
// per volume (handle `fs-id[:root[:fsap-id]]`, mount options tls and iam as the volume asks),
// pre-bound to a claim in `aws-ecs` that the task's pod names. The pod's `moor.dev/iam-role-arn`
// annotation (the task role) is the identity an `iam` mount presents.

import { driverName } from "../../domain/csi/mod.js";
import { type EfsVolumeConfiguration, taskNamespace, type Volume } from "../../domain/ecs/mod.js";
import type { Store } from "../../store/mod.js";

export function claimName(taskId: string, index: number): string {
  return `task-${taskId}-${index}`;
}

function handleOf(efs: EfsVolumeConfiguration): string {
  const accessPoint = efs.authorizationConfig?.accessPointId;
  const root = efs.rootDirectory && efs.rootDirectory !== "/" ? efs.rootDirectory : "";
  return accessPoint ? `${efs.fileSystemId}:${root}:${accessPoint}` : root ? `${efs.fileSystemId}:${root}` : efs.fileSystemId;
}

/** Writes the volume and claim of each EFS volume that lacks them; answers claim names by task volume name. */
export function ensureClaims(store: Store, taskId: string, volumes: Volume[]): Record<string, string> {
  const claims: Record<string, string> = {};
  volumes.forEach((volume, index) => {
    const efs = volume.efsVolumeConfiguration;
    if (!efs || !volume.name) return;
    const name = claimName(taskId, index);
    claims[volume.name] = name;
    const mountOptions = [...(efs.transitEncryption === "ENABLED" ? ["tls"] : []), ...(efs.authorizationConfig?.iam === "ENABLED" ? ["iam"] : [])];
    if (!store.get({ kind: "PersistentVolume", name })) {
      store.create({
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name, labels: { "moor.dev/ecs-task-id": taskId } },
        spec: {
          capacity: { storage: "5Gi" },
          accessModes: ["ReadWriteMany"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: "",
          volumeMode: "Filesystem",
          mountOptions,
          csi: { driver: driverName, volumeHandle: handleOf(efs) },
          claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: taskNamespace, name },
        },
        status: { phase: "Available" },
      });
    }
    if (!store.get({ kind: "PersistentVolumeClaim", namespace: taskNamespace, name })) {
      store.create({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name, namespace: taskNamespace, labels: { "moor.dev/ecs-task-id": taskId } },
        spec: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: name, volumeMode: "Filesystem", resources: { requests: { storage: "5Gi" } } },
        status: { phase: "Pending" },
      });
    }
  });
  return claims;
}

/** Removes a stopped task's claims and volumes. */
export function removeClaims(store: Store, taskId: string, volumes: Volume[]): void {
  volumes.forEach((_volume, index) => {
    const name = claimName(taskId, index);
    if (store.get({ kind: "PersistentVolumeClaim", namespace: taskNamespace, name })) store.delete({ kind: "PersistentVolumeClaim", namespace: taskNamespace, name });
    if (store.get({ kind: "PersistentVolume", name })) store.delete({ kind: "PersistentVolume", name });
  });
}
