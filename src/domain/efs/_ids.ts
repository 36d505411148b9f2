// EFS resource ids and ARNs. New ids are the long form AWS has issued since October 2021: a
// prefix and 17 hex digits. The model accepts 8 to 40 hex digits, or the full ARN wherever a
// file system or access point id is taken; mount targets have ids only.

export const fileSystemIdPattern = /^fs-[0-9a-f]{8,40}$/;
export const accessPointIdPattern = /^fsap-[0-9a-f]{8,40}$/;
export const mountTargetIdPattern = /^fsmt-[0-9a-f]{8,40}$/;
const fileSystemArnPattern = /^arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:file-system\/(fs-[0-9a-f]{8,40})$/;
const accessPointArnPattern = /^arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:access-point\/(fsap-[0-9a-f]{8,40})$/;

/** Long ids carry 17 hex digits; callers pass 16 random ones and the first is a 0, as on AWS. */
export const randomHexDigits = 16;

function formatId(prefix: string, randomHex: string): string {
  if (!/^[0-9a-f]{16}$/.test(randomHex)) throw new Error(`Cannot make an id: "${randomHex}" is not 16 hex digits`);
  return `${prefix}-0${randomHex}`;
}

export const newFileSystemId = (randomHex: string): string => formatId("fs", randomHex);
export const newAccessPointId = (randomHex: string): string => formatId("fsap", randomHex);
export const newMountTargetId = (randomHex: string): string => formatId("fsmt", randomHex);
export const newNetworkInterfaceId = (randomHex: string): string => formatId("eni", randomHex);

export function fileSystemArn(region: string, accountId: string, fileSystemId: string): string {
  return `arn:aws:elasticfilesystem:${region}:${accountId}:file-system/${fileSystemId}`;
}

export function accessPointArn(region: string, accountId: string, accessPointId: string): string {
  return `arn:aws:elasticfilesystem:${region}:${accountId}:access-point/${accessPointId}`;
}

/** The file system id in an id or an ARN; undefined when it is neither. */
export function parseFileSystemId(idOrArn: string): string | undefined {
  if (fileSystemIdPattern.test(idOrArn)) return idOrArn;
  return fileSystemArnPattern.exec(idOrArn)?.[1];
}

/** The access point id in an id or an ARN; undefined when it is neither. */
export function parseAccessPointId(idOrArn: string): string | undefined {
  if (accessPointIdPattern.test(idOrArn)) return idOrArn;
  return accessPointArnPattern.exec(idOrArn)?.[1];
}

export type ResourceRef = { kind: "FileSystem"; id: string } | { kind: "AccessPoint"; id: string };

/** A tagging ResourceId: a file system or access point, as an id or an ARN. */
export function parseResourceId(idOrArn: string): ResourceRef | undefined {
  const fileSystemId = parseFileSystemId(idOrArn);
  if (fileSystemId) return { kind: "FileSystem", id: fileSystemId };
  const accessPointId = parseAccessPointId(idOrArn);
  if (accessPointId) return { kind: "AccessPoint", id: accessPointId };
  return undefined;
}

/** The DNS name AWS gives a file system (efs-utils resolves `<az>.<name>` first). */
export function fileSystemDnsName(region: string, fileSystemId: string): string {
  return `${fileSystemId}.efs.${region}.amazonaws.com`;
}
