// The store objects behind the EFS API: FileSystem, AccessPoint and MountTarget, cluster-scoped,
// apiVersion efs.moor.dev/v1, named by their AWS id. `spec` holds what the user asked for,
// `status` what Moor observed or assigned. Other parts of Moor (the kube API, the mount engine)
// read these shapes; keep them stable.

export const efsApiVersion = "efs.moor.dev/v1";
export const fileSystemKind = "FileSystem";
export const accessPointKind = "AccessPoint";
export const mountTargetKind = "MountTarget";
/** Label on access points and mount targets naming their file system. */
export const fileSystemLabel = "efs.moor.dev/file-system";

export type LifeCycleState = "creating" | "available" | "updating" | "deleting" | "deleted" | "error";
export type PerformanceMode = "generalPurpose" | "maxIO";
export type ThroughputMode = "bursting" | "provisioned" | "elastic";
export type BackupStatus = "ENABLED" | "ENABLING" | "DISABLED" | "DISABLING";
export type ReplicationOverwriteProtection = "ENABLED" | "DISABLED" | "REPLICATING";

export interface Tag {
  key: string;
  value: string;
}

export interface LifecyclePolicy {
  transitionToIA?: string;
  transitionToArchive?: string;
  transitionToPrimaryStorageClass?: string;
}

export interface ObjectMetadata {
  name: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface FileSystemSpec {
  creationToken: string;
  performanceMode: PerformanceMode;
  throughputMode: ThroughputMode;
  provisionedThroughputInMibps?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  /** Set for One Zone file systems. */
  availabilityZoneName?: string;
  backup: boolean;
  tags: Tag[];
  /** The explicit file-system policy (JSON text); absent while the default policy applies. */
  policy?: string;
  lifecyclePolicies: LifecyclePolicy[];
  /** Absent until backups are asked for (Backup at creation or PutBackupPolicy). */
  backupPolicy?: { status: BackupStatus };
  replicationOverwriteProtection: ReplicationOverwriteProtection;
}

export interface SizeInBytes {
  value: number;
  /** When the value was measured (RFC 3339). */
  timestamp?: string;
  valueInStandard: number;
  valueInIA: number;
  valueInArchive: number;
}

export interface FileSystemStatus {
  lifeCycleState: LifeCycleState;
  ownerId: string;
  fileSystemArn: string;
  availabilityZoneId?: string;
  sizeInBytes: SizeInBytes;
  numberOfMountTargets: number;
}

export interface FileSystemObject {
  apiVersion: typeof efsApiVersion;
  kind: typeof fileSystemKind;
  metadata: ObjectMetadata;
  spec: FileSystemSpec;
  status: FileSystemStatus;
}

export interface PosixUser {
  uid: number;
  gid: number;
  secondaryGids: number[];
}

export interface CreationInfo {
  ownerUid: number;
  ownerGid: number;
  /** Octal digits as given, e.g. "755" or "0750". */
  permissions: string;
}

export interface RootDirectory {
  path: string;
  creationInfo?: CreationInfo;
}

export interface AccessPointSpec {
  clientToken: string;
  fileSystemId: string;
  posixUser?: PosixUser;
  rootDirectory: RootDirectory;
  tags: Tag[];
}

export interface AccessPointStatus {
  lifeCycleState: LifeCycleState;
  ownerId: string;
  accessPointArn: string;
}

export interface AccessPointObject {
  apiVersion: typeof efsApiVersion;
  kind: typeof accessPointKind;
  metadata: ObjectMetadata;
  spec: AccessPointSpec;
  status: AccessPointStatus;
}

export interface MountTargetSpec {
  fileSystemId: string;
  subnetId: string;
  ipAddress: string;
  securityGroups: string[];
  availabilityZoneName: string;
  availabilityZoneId: string;
  vpcId: string;
  networkInterfaceId: string;
}

export interface MountTargetStatus {
  lifeCycleState: LifeCycleState;
  ownerId: string;
}

export interface MountTargetObject {
  apiVersion: typeof efsApiVersion;
  kind: typeof mountTargetKind;
  metadata: ObjectMetadata;
  spec: MountTargetSpec;
  status: MountTargetStatus;
}

export function emptySize(): SizeInBytes {
  return { value: 0, valueInStandard: 0, valueInIA: 0, valueInArchive: 0 };
}

/** Octal permission text ("0755", "777") as a mode number. */
export function permissionsMode(permissions: string): number {
  return Number.parseInt(permissions, 8);
}
