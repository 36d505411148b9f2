// Store objects in AWS's description shapes (FileSystemDescription, AccessPointDescription,
// MountTargetDescription), the outputs every front end renders. Timestamps are epoch seconds,
// as the model's rest-json form sends them.

import {
  type AccessPointObject,
  type FileSystemObject,
  type MountTargetObject,
  nameTag,
  tagsToWire,
  type WireTag,
} from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";

export interface FileSystemDescription {
  OwnerId: string;
  CreationToken: string;
  FileSystemId: string;
  FileSystemArn: string;
  CreationTime: number | undefined;
  LifeCycleState: string;
  Name?: string;
  NumberOfMountTargets: number;
  SizeInBytes: { Value: number; Timestamp?: number; ValueInIA: number; ValueInStandard: number; ValueInArchive: number };
  PerformanceMode: string;
  Encrypted: boolean;
  KmsKeyId?: string;
  ThroughputMode: string;
  ProvisionedThroughputInMibps?: number;
  AvailabilityZoneName?: string;
  AvailabilityZoneId?: string;
  Tags: WireTag[];
  FileSystemProtection: { ReplicationOverwriteProtection: string };
}

export interface AccessPointDescription {
  ClientToken: string;
  Name?: string;
  Tags: WireTag[];
  AccessPointId: string;
  AccessPointArn: string;
  FileSystemId: string;
  PosixUser?: { Uid: number; Gid: number; SecondaryGids?: number[] };
  RootDirectory: { Path: string; CreationInfo?: { OwnerUid: number; OwnerGid: number; Permissions: string } };
  OwnerId: string;
  LifeCycleState: string;
}

export interface MountTargetDescription {
  OwnerId: string;
  MountTargetId: string;
  FileSystemId: string;
  SubnetId: string;
  LifeCycleState: string;
  IpAddress: string;
  NetworkInterfaceId: string;
  AvailabilityZoneId: string;
  AvailabilityZoneName: string;
  VpcId: string;
}

export function epochSeconds(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function describeFileSystem(context: EfsContext, fileSystem: FileSystemObject): FileSystemDescription {
  const { spec, status, metadata } = fileSystem;
  const size = status.sizeInBytes ?? { value: 0, valueInStandard: 0, valueInIA: 0, valueInArchive: 0 };
  const name = nameTag(spec.tags);
  const sizeTimestamp = epochSeconds(size.timestamp);
  return {
    OwnerId: status.ownerId,
    CreationToken: spec.creationToken,
    FileSystemId: metadata.name,
    FileSystemArn: status.fileSystemArn,
    CreationTime: epochSeconds(metadata.creationTimestamp),
    LifeCycleState: status.lifeCycleState,
    ...(name === undefined ? {} : { Name: name }),
    // Counted live: the status copy lags by one reconcile.
    NumberOfMountTargets: context.index.mountTargetsOf(metadata.name).length,
    SizeInBytes: {
      Value: size.value,
      ...(sizeTimestamp === undefined ? {} : { Timestamp: sizeTimestamp }),
      ValueInIA: size.valueInIA,
      ValueInStandard: size.valueInStandard,
      ValueInArchive: size.valueInArchive,
    },
    PerformanceMode: spec.performanceMode,
    Encrypted: spec.encrypted,
    ...(spec.kmsKeyId === undefined ? {} : { KmsKeyId: spec.kmsKeyId }),
    ThroughputMode: spec.throughputMode,
    ...(spec.provisionedThroughputInMibps === undefined ? {} : { ProvisionedThroughputInMibps: spec.provisionedThroughputInMibps }),
    ...(spec.availabilityZoneName === undefined ? {} : { AvailabilityZoneName: spec.availabilityZoneName, AvailabilityZoneId: status.availabilityZoneId }),
    Tags: tagsToWire(spec.tags),
    FileSystemProtection: { ReplicationOverwriteProtection: spec.replicationOverwriteProtection },
  };
}

export function describeAccessPoint(accessPoint: AccessPointObject): AccessPointDescription {
  const { spec, status, metadata } = accessPoint;
  const name = nameTag(spec.tags);
  const user = spec.posixUser;
  const root = spec.rootDirectory;
  return {
    ClientToken: spec.clientToken,
    ...(name === undefined ? {} : { Name: name }),
    Tags: tagsToWire(spec.tags),
    AccessPointId: metadata.name,
    AccessPointArn: status.accessPointArn,
    FileSystemId: spec.fileSystemId,
    ...(user ? { PosixUser: { Uid: user.uid, Gid: user.gid, ...(user.secondaryGids.length > 0 ? { SecondaryGids: user.secondaryGids } : {}) } } : {}),
    RootDirectory: {
      Path: root.path,
      ...(root.creationInfo
        ? { CreationInfo: { OwnerUid: root.creationInfo.ownerUid, OwnerGid: root.creationInfo.ownerGid, Permissions: root.creationInfo.permissions } }
        : {}),
    },
    OwnerId: status.ownerId,
    LifeCycleState: status.lifeCycleState,
  };
}

export function describeMountTarget(mountTarget: MountTargetObject): MountTargetDescription {
  const { spec, status, metadata } = mountTarget;
  return {
    OwnerId: status.ownerId,
    MountTargetId: metadata.name,
    FileSystemId: spec.fileSystemId,
    SubnetId: spec.subnetId,
    LifeCycleState: status.lifeCycleState,
    IpAddress: spec.ipAddress,
    NetworkInterfaceId: spec.networkInterfaceId,
    AvailabilityZoneId: spec.availabilityZoneId,
    AvailabilityZoneName: spec.availabilityZoneName,
    VpcId: spec.vpcId,
  };
}
