// File-system rules: defaults and combinations of performance mode, throughput mode, provisioned
// throughput, encryption and One Zone placement, at creation and on UpdateFileSystem.

import { quote } from "../../errors/mod.js";
import { badRequest, efsError } from "./_errors.js";
import type { FileSystemSpec, PerformanceMode, ThroughputMode } from "./_objects.js";
import { tagsFromWire, type WireTag } from "./_tags.js";

/** The highest provisioned throughput AWS documents (MiB/s, region-dependent upper bound). */
export const provisionedThroughputMaxMibps = 3414;
/** The account's file-system quota per region, as on AWS. */
export const fileSystemsPerAccountMax = 1000;

export interface CreateFileSystemInput {
  CreationToken: string;
  PerformanceMode?: PerformanceMode;
  Encrypted?: boolean;
  KmsKeyId?: string;
  ThroughputMode?: ThroughputMode;
  ProvisionedThroughputInMibps?: number;
  AvailabilityZoneName?: string;
  Backup?: boolean;
  Tags?: WireTag[];
}

export interface Zone {
  name: string;
  id: string;
}

export interface PlacementContext {
  region: string;
  accountId: string;
  zones: Zone[];
}

/** The spec of a new file system, and its One Zone zone id; throws the error AWS would. */
export function newFileSystemSpec(input: CreateFileSystemInput, context: PlacementContext, action: string): { spec: FileSystemSpec; availabilityZoneId?: string } {
  const performanceMode = input.PerformanceMode ?? "generalPurpose";
  const throughputMode = input.ThroughputMode ?? "bursting";
  const provisioned = checkThroughput(performanceMode, throughputMode, input.ProvisionedThroughputInMibps, action);
  let zone: Zone | undefined;
  if (input.AvailabilityZoneName !== undefined) {
    zone = context.zones.find((candidate) => candidate.name === input.AvailabilityZoneName);
    if (!zone) {
      throw efsError(
        "UnsupportedAvailabilityZone",
        `${action}: availability zone ${quote(input.AvailabilityZoneName)} is not one of ${context.zones.map((z) => quote(z.name)).join(", ")}`,
      );
    }
    if (performanceMode === "maxIO") throw badRequest(`${action}: PerformanceMode "maxIO" is not supported for One Zone file systems`);
  }
  if (input.KmsKeyId !== undefined && input.Encrypted !== true) throw badRequest(`${action}: KmsKeyId is given but Encrypted is not true`);
  const encrypted = input.Encrypted === true;
  const backup = input.Backup ?? zone !== undefined;
  const spec: FileSystemSpec = {
    creationToken: input.CreationToken,
    performanceMode,
    throughputMode,
    ...(provisioned === undefined ? {} : { provisionedThroughputInMibps: provisioned }),
    encrypted,
    ...(encrypted ? { kmsKeyId: kmsKeyArn(input.KmsKeyId, context) } : {}),
    ...(zone ? { availabilityZoneName: zone.name } : {}),
    backup,
    tags: tagsFromWire(input.Tags, action),
    lifecyclePolicies: [],
    ...(backup ? { backupPolicy: { status: "ENABLED" as const } } : {}),
    replicationOverwriteProtection: "ENABLED",
  };
  return zone ? { spec, availabilityZoneId: zone.id } : { spec };
}

export interface UpdateFileSystemInput {
  ThroughputMode?: ThroughputMode;
  ProvisionedThroughputInMibps?: number;
}

/** The spec after UpdateFileSystem. Moor does not impose AWS's 24-hour cool-down. */
export function updatedThroughput(spec: FileSystemSpec, input: UpdateFileSystemInput, action: string): FileSystemSpec {
  const throughputMode = input.ThroughputMode ?? spec.throughputMode;
  let requested = input.ProvisionedThroughputInMibps;
  if (throughputMode === "provisioned" && requested === undefined && spec.throughputMode === "provisioned") {
    requested = spec.provisionedThroughputInMibps;
  }
  const provisioned = checkThroughput(spec.performanceMode, throughputMode, requested, action);
  const { provisionedThroughputInMibps: _previous, ...rest } = spec;
  return { ...rest, throughputMode, ...(provisioned === undefined ? {} : { provisionedThroughputInMibps: provisioned }) };
}

function checkThroughput(performanceMode: PerformanceMode, throughputMode: ThroughputMode, provisioned: number | undefined, action: string): number | undefined {
  if (performanceMode === "maxIO" && throughputMode === "elastic") {
    throw badRequest(`${action}: PerformanceMode "maxIO" is not supported with ThroughputMode "elastic"`);
  }
  if (throughputMode !== "provisioned") {
    if (provisioned !== undefined) throw badRequest(`${action}: ProvisionedThroughputInMibps is given but ThroughputMode is ${quote(throughputMode)}, not "provisioned"`);
    return undefined;
  }
  if (provisioned === undefined) throw badRequest(`${action}: ProvisionedThroughputInMibps is required when ThroughputMode is "provisioned"`);
  if (provisioned > provisionedThroughputMaxMibps) {
    throw efsError("ThroughputLimitExceeded", `${action}: ProvisionedThroughputInMibps ${provisioned} is above the limit of ${provisionedThroughputMaxMibps} MiB/s`);
  }
  return provisioned;
}

/** The key ARN AWS reports: a given key id or alias in ARN form, or the account's EFS default key. */
export function kmsKeyArn(keyId: string | undefined, context: { region: string; accountId: string }): string {
  const prefix = `arn:aws:kms:${context.region}:${context.accountId}:`;
  if (keyId === undefined) return `${prefix}key/${stableUuid(`${context.accountId}/${context.region}/aws/elasticfilesystem`)}`;
  if (keyId.startsWith("arn:")) return keyId;
  if (keyId.startsWith("alias/")) return `${prefix}${keyId}`;
  return `${prefix}key/${keyId}`;
}

/** A UUID-shaped value derived from text (FNV-1a), so the default key stays the same. */
function stableUuid(text: string): string {
  let hex = "";
  for (let round = 0; hex.length < 32; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (let index = 0; index < text.length; index++) {
      hash ^= text.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hex += hash.toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
