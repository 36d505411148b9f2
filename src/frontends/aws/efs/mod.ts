// The EFS API (rest-json, apiVersion 2015-02-01): every operation of the service model, one file
// per action, over the store's FileSystem, AccessPoint and MountTarget objects. Errors are
// rendered as EFS sends them: header `x-amzn-ErrorType: <code>` and body
// `{"ErrorCode", "Message", ...extras}` (FileSystemId / AccessPointId on the AlreadyExists pair).

import { randomBytes } from "node:crypto";
import { efsCodeOfCategory, efsErrors, isEfsErrorCode, randomHexDigits, type Zone } from "../../../domain/efs/mod.js";
import { embeddedVpc, type Vpc } from "../../../domain/network/mod.js";
import type { MoorError } from "../../../errors/mod.js";
import type { Store } from "../../../store/mod.js";
import type { AwsService } from "../mod.js";
import type { EfsContext } from "./_context.js";
import { EfsIndex } from "./_index.js";
import type { EfsOperation } from "./_operation.js";
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

export const efsOperations: EfsOperation[] = [
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
];

export interface EfsServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  vpc?: Vpc;
  randomHex?: () => string;
}

export function createEfsService(options: EfsServiceOptions): AwsService {
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
  return {
    name: "elasticfilesystem",
    pathPrefix: "/2015-02-01/",
    restJson: efsOperations.map((operation) => ({
      name: operation.name,
      method: operation.method,
      path: operation.path,
      handle: (request) => operation.run(context, request),
    })),
    classify(error: MoorError) {
      const code = isEfsErrorCode(error.code) ? error.code : efsCodeOfCategory[error.category];
      return { status: efsErrors[code].status, code };
    },
    errorBody(code, message, details) {
      return { ErrorCode: code, Message: message, ...details };
    },
    async start() {
      index.start(options.store);
    },
    async stop() {
      index.stop();
    },
  };
}
