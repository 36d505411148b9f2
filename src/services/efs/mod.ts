// The EFS service: every operation of the EFS API model, one file per action, each holding its
// validation (the model's shapes), AWS's semantics, the store writes and the errors. Inputs and
// outputs are plain objects in the model's member names; errors are MoorErrors carrying the EFS
// error code (`efsError`). Every front end calls these: the AWS front end (rest-json), the kube
// API (FileSystem, AccessPoint and MountTarget objects), the volume controller's provisioner.
//
// Lifecycle: `createEfsService(...)` builds it; `start()` builds the in-memory index from the
// store and keeps it current by watches; `stop()` drops it. Operations are synchronous: each
// check and write runs in one store transaction.

import { randomBytes } from "node:crypto";
import type { Component } from "../../component/mod.js";
import { randomHexDigits, type Zone } from "../../domain/efs/mod.js";
import { embeddedVpc, type Vpc } from "../../domain/network/mod.js";
import type { Store } from "../../store/mod.js";
import type { EfsContext } from "./_context.js";
import { EfsIndex } from "./_index.js";
import { createAccessPoint } from "./create-access-point.js";
import { createFileSystem } from "./create-file-system.js";
import { createMountTarget } from "./create-mount-target.js";
import { createReplicationConfiguration } from "./create-replication-configuration.js";
import { createTags } from "./create-tags.js";
import { deleteAccessPoint } from "./delete-access-point.js";
import { deleteFileSystem } from "./delete-file-system.js";
import { deleteFileSystemPolicy } from "./delete-file-system-policy.js";
import { deleteMountTarget } from "./delete-mount-target.js";
import { deleteReplicationConfiguration } from "./delete-replication-configuration.js";
import { deleteTags } from "./delete-tags.js";
import { describeAccessPoints } from "./describe-access-points.js";
import { describeAccountPreferences } from "./describe-account-preferences.js";
import { describeBackupPolicy } from "./describe-backup-policy.js";
import { describeFileSystemPolicy } from "./describe-file-system-policy.js";
import { describeFileSystems } from "./describe-file-systems.js";
import { describeLifecycleConfiguration } from "./describe-lifecycle-configuration.js";
import { describeMountTargetSecurityGroups } from "./describe-mount-target-security-groups.js";
import { describeMountTargets } from "./describe-mount-targets.js";
import { describeReplicationConfigurations } from "./describe-replication-configurations.js";
import { describeTags } from "./describe-tags.js";
import { listTagsForResource } from "./list-tags-for-resource.js";
import { modifyMountTargetSecurityGroups } from "./modify-mount-target-security-groups.js";
import { putAccountPreferences } from "./put-account-preferences.js";
import { putBackupPolicy } from "./put-backup-policy.js";
import { putFileSystemPolicy } from "./put-file-system-policy.js";
import { putLifecycleConfiguration } from "./put-lifecycle-configuration.js";
import { tagResource } from "./tag-resource.js";
import { untagResource } from "./untag-resource.js";
import { updateFileSystem } from "./update-file-system.js";
import { updateFileSystemProtection } from "./update-file-system-protection.js";

export type { AccessPointDescription, FileSystemDescription, MountTargetDescription } from "./_describe.js";
export type { CreateMountTargetInput } from "./create-mount-target.js";
export type { DescribeAccessPointsInput, DescribeAccessPointsOutput } from "./describe-access-points.js";

const operations = {
  createAccessPoint,
  createFileSystem,
  createMountTarget,
  createReplicationConfiguration,
  createTags,
  deleteAccessPoint,
  deleteFileSystem,
  deleteFileSystemPolicy,
  deleteMountTarget,
  deleteReplicationConfiguration,
  deleteTags,
  describeAccessPoints,
  describeAccountPreferences,
  describeBackupPolicy,
  describeFileSystemPolicy,
  describeFileSystems,
  describeLifecycleConfiguration,
  describeMountTargetSecurityGroups,
  describeMountTargets,
  describeReplicationConfigurations,
  describeTags,
  listTagsForResource,
  modifyMountTargetSecurityGroups,
  putAccountPreferences,
  putBackupPolicy,
  putFileSystemPolicy,
  putLifecycleConfiguration,
  tagResource,
  untagResource,
  updateFileSystem,
  updateFileSystemProtection,
};

type Operations = typeof operations;

/** One method per EFS action, named as the model names it (camel case). */
export type EfsOperations = {
  [Name in keyof Operations]: (input: Parameters<Operations[Name]>[1]) => ReturnType<Operations[Name]>;
};

export type EfsOperationName = keyof EfsOperations;

export type EfsService = EfsOperations & Component;

export interface EfsServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  vpc?: Vpc;
  randomHex?: () => string;
}

export function createEfsService(options: EfsServiceOptions): EfsService {
  const vpc = options.vpc ?? embeddedVpc(options.region);
  const zones: Zone[] = vpc.subnets.map((subnet) => ({ name: subnet.availabilityZone, id: subnet.availabilityZoneId }));
  const index = new EfsIndex();
  const context: EfsContext = {
    store: options.store,
    region: options.region,
    accountId: options.accountId,
    vpc,
    zones,
    index,
    randomHex: options.randomHex ?? (() => randomBytes(randomHexDigits / 2).toString("hex")),
  };
  const bound = Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [name, (input: never) => (operation as (context: EfsContext, input: never) => unknown)(context, input)]),
  ) as EfsOperations;
  return {
    ...bound,
    name: "efs-service",
    async start() {
      index.start(options.store);
    },
    async stop() {
      index.stop();
    },
  };
}
