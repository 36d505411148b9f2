// The member shapes of the EFS service model (botocore efs/2015-02-01), as `Shape`s. Operation
// inputs are assembled from these in the front end; the constraints are the model's.

import type { Shape } from "./_shape.js";

const hexId = "[0-9a-f]{8,40}";
const arnPrefix = "arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:";

export const fileSystemIdShape: Shape = {
  type: "string",
  max: 128,
  pattern: new RegExp(`^(${arnPrefix}file-system/fs-${hexId}|fs-${hexId})$`),
};
export const accessPointIdShape: Shape = {
  type: "string",
  max: 128,
  pattern: new RegExp(`^(${arnPrefix}access-point/fsap-${hexId}|fsap-${hexId})$`),
};
export const mountTargetIdShape: Shape = { type: "string", min: 13, max: 45, pattern: new RegExp(`^fsmt-${hexId}$`) };
export const resourceIdShape: Shape = {
  type: "string",
  max: 128,
  pattern: new RegExp(`^(${arnPrefix}(access-point/fsap|file-system/fs)-${hexId}|fs(ap)?-${hexId})$`),
};
export const subnetIdShape: Shape = { type: "string", min: 15, max: 47, pattern: /^subnet-[0-9a-f]{8,40}$/ };
export const ipAddressShape: Shape = { type: "string", min: 7, max: 15, pattern: /^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/ };
export const ipv6AddressShape: Shape = { type: "string", min: 3, max: 39 };
export const ipAddressTypeShape: Shape = { type: "string", enum: ["IPV4_ONLY", "IPV6_ONLY", "DUAL_STACK"] };
export const securityGroupsShape: Shape = {
  type: "list",
  max: 100,
  member: { type: "string", min: 11, max: 43, pattern: /^sg-[0-9a-f]{8,40}/ },
};
export const tokenShape: Shape = { type: "string", min: 1, max: 64, pattern: /.+/ };
export const pageTokenShape: Shape = { type: "string", min: 1, max: 128, pattern: /.+/ };
export const pageSizeShape: Shape = { type: "integer", min: 1 };

// Tag keys and values: letters, separators, numbers and `_ . : / = + - @`; keys may not start
// with `aws:` in any case.
export const tagKeyShape: Shape = {
  type: "string",
  min: 1,
  max: 128,
  pattern: /^(?![aA][wW][sS]:)([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u,
};
export const tagValueShape: Shape = { type: "string", max: 256, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u };
export const tagShape: Shape = { type: "structure", required: ["Key", "Value"], members: { Key: tagKeyShape, Value: tagValueShape } };
export const tagsShape: Shape = { type: "list", member: tagShape };
export const tagKeysShape: Shape = { type: "list", min: 1, max: 50, member: tagKeyShape };

export const performanceModes = ["generalPurpose", "maxIO"] as const;
export const throughputModes = ["bursting", "provisioned", "elastic"] as const;
export const kmsKeyIdShape: Shape = {
  type: "string",
  max: 2048,
  pattern:
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[a-zA-Z0-9/_-]+|(arn:aws[-a-z]*:kms:[a-z0-9-]+:\d{12}:((key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(key\/mrk-[0-9a-f]{32})|(alias\/[a-zA-Z0-9/_-]+))))$/,
};
export const provisionedThroughputShape: Shape = { type: "double", min: 1 };
export const availabilityZoneNameShape: Shape = { type: "string", min: 1, max: 64, pattern: /.+/ };

const idNumberShape: Shape = { type: "integer", min: 0, max: 4294967295 };
export const posixUserShape: Shape = {
  type: "structure",
  required: ["Uid", "Gid"],
  members: { Uid: idNumberShape, Gid: idNumberShape, SecondaryGids: { type: "list", min: 0, max: 16, member: idNumberShape } },
};
export const rootDirectoryShape: Shape = {
  type: "structure",
  members: {
    // The path's own rules (components, characters) are checked by `checkRootDirectoryPath`.
    Path: { type: "string", min: 1, max: 100 },
    CreationInfo: {
      type: "structure",
      required: ["OwnerUid", "OwnerGid", "Permissions"],
      members: { OwnerUid: idNumberShape, OwnerGid: idNumberShape, Permissions: { type: "string", min: 3, max: 4, pattern: /^[0-7]{3,4}$/ } },
    },
  },
};

export const transitionRules = [
  "AFTER_1_DAY",
  "AFTER_7_DAYS",
  "AFTER_14_DAYS",
  "AFTER_30_DAYS",
  "AFTER_60_DAYS",
  "AFTER_90_DAYS",
  "AFTER_180_DAYS",
  "AFTER_270_DAYS",
  "AFTER_365_DAYS",
] as const;
export const lifecyclePoliciesShape: Shape = {
  type: "list",
  max: 3,
  member: {
    type: "structure",
    members: {
      TransitionToIA: { type: "string", enum: transitionRules },
      TransitionToPrimaryStorageClass: { type: "string", enum: ["AFTER_1_ACCESS"] },
      TransitionToArchive: { type: "string", enum: transitionRules },
    },
  },
};
export const backupPolicyShape: Shape = {
  type: "structure",
  required: ["Status"],
  members: { Status: { type: "string", enum: ["ENABLED", "ENABLING", "DISABLED", "DISABLING"] } },
};
export const policyShape: Shape = { type: "string", min: 1, max: 20000, pattern: /[\s\S]+/ };
export const replicationOverwriteProtectionShape: Shape = { type: "string", enum: ["ENABLED", "DISABLED", "REPLICATING"] };
export const resourceIdTypeShape: Shape = { type: "string", enum: ["LONG_ID", "SHORT_ID"] };
export const regionNameShape: Shape = {
  type: "string",
  min: 1,
  max: 64,
  pattern: /^[a-z]{2}-((iso[a-z]{0,1}-)|(gov-)){0,1}[a-z]+-{0,1}[0-9]{0,1}$/,
};
export const deletionModeShape: Shape = { type: "string", enum: ["ALL_CONFIGURATIONS", "LOCAL_CONFIGURATION_ONLY"] };
