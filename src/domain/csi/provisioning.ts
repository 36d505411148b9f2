// Dynamic provisioning with `provisioningMode: efs-ap`: one access point per volume, its POSIX
// identity from the class's uid/gid or the lowest free GID in the class's range, its root
// directory under basePath named by subPathPattern.

export interface ProvisioningParameters {
  fileSystemId: string;
  directoryPerms: string;
  uid?: number;
  gid?: number;
  gidRangeStart: number;
  gidRangeEnd: number;
  basePath: string;
  subPathPattern?: string;
  ensureUniqueDirectory: boolean;
  reuseAccessPoint: boolean;
  deleteRootDirectory: boolean;
}

export const gidRangeDefault = { start: 50000, end: 60000 } as const;
/** The driver caps any range at start + 10,000. */
export const gidRangeSpanMax = 10_000;
export const rootPathLengthMax = 100;

/** Parses a StorageClass's parameters; returns an error message instead of throwing. */
export function parseProvisioningParameters(parameters: Record<string, string> = {}): ProvisioningParameters | { error: string } {
  const known = new Set([
    "provisioningMode", "fileSystemId", "directoryPerms", "uid", "gid", "gidRangeStart", "gidRangeEnd", "basePath",
    "subPathPattern", "ensureUniqueDirectory", "reuseAccessPoint", "deleteAccessPointRootDir", "az",
    "enforceZoneAffinity", "enableTagging",
  ]);
  for (const key of Object.keys(parameters)) {
    if (!known.has(key) && !key.startsWith("csi.storage.k8s.io/")) return { error: `Invalid parameter key ${key} for provisioner efs.csi.aws.com` };
  }
  if (parameters.provisioningMode !== "efs-ap") {
    return { error: parameters.provisioningMode ? `Provisioning mode ${parameters.provisioningMode} is not supported` : `Missing provisioningMode parameter` };
  }
  if (!parameters.fileSystemId) return { error: "Missing fileSystemId parameter" };
  const directoryPerms = parameters.directoryPerms ?? "700";
  if (!/^[0-7]{3,4}$/.test(directoryPerms)) return { error: `Invalid directoryPerms "${directoryPerms}": must be 3 or 4 octal digits` };
  const uid = optionalId(parameters.uid, "uid");
  const gid = optionalId(parameters.gid, "gid");
  if (typeof uid === "string") return { error: uid };
  if (typeof gid === "string") return { error: gid };
  const range = gidRange(parameters.gidRangeStart, parameters.gidRangeEnd);
  if ("error" in range) return range;
  const ensure = bool(parameters.ensureUniqueDirectory, true, "ensureUniqueDirectory");
  const reuse = bool(parameters.reuseAccessPoint, false, "reuseAccessPoint");
  const deleteRoot = bool(parameters.deleteAccessPointRootDir, false, "deleteAccessPointRootDir");
  for (const value of [ensure, reuse, deleteRoot]) if (typeof value === "string") return { error: value };
  if (parameters.subPathPattern !== undefined) {
    const unknown = /\$\{(?!\.PVC\.name\}|\.PVC\.namespace\}|\.PV\.name\})[^}]*\}/.exec(parameters.subPathPattern);
    if (unknown) return { error: `subPathPattern "${parameters.subPathPattern}": ${unknown[0]} is not one of \${.PVC.name}, \${.PVC.namespace}, \${.PV.name}` };
  }
  const result: ProvisioningParameters = {
    fileSystemId: parameters.fileSystemId,
    directoryPerms,
    gidRangeStart: range.start,
    gidRangeEnd: range.end,
    basePath: parameters.basePath ?? "",
    ensureUniqueDirectory: ensure as boolean,
    reuseAccessPoint: reuse as boolean,
    deleteRootDirectory: deleteRoot as boolean,
  };
  if (uid !== undefined) result.uid = uid;
  if (gid !== undefined) result.gid = gid;
  if (parameters.subPathPattern !== undefined) result.subPathPattern = parameters.subPathPattern;
  return result;
}

/** The lowest GID in [start, end] that no existing access point uses, or undefined when full. */
export function lowestFreeGid(parameters: Pick<ProvisioningParameters, "gidRangeStart" | "gidRangeEnd">, usedGids: Iterable<number>): number | undefined {
  const used = new Set(usedGids);
  for (let gid = parameters.gidRangeStart; gid <= parameters.gidRangeEnd; gid++) {
    if (!used.has(gid)) return gid;
  }
  return undefined;
}

export interface RootPathInput {
  pvName: string;
  pvcName: string;
  pvcNamespace: string;
  /** A unique suffix source (a UUID) for ensureUniqueDirectory; passed in to keep this pure. */
  unique: string;
}

/** The access point's root directory: basePath joined with the interpolated pattern. */
export function accessPointRootPath(parameters: ProvisioningParameters, input: RootPathInput): string | { error: string } {
  let name = input.pvName;
  if (parameters.subPathPattern !== undefined) {
    name = parameters.subPathPattern
      .replaceAll("${.PVC.name}", input.pvcName)
      .replaceAll("${.PVC.namespace}", input.pvcNamespace)
      .replaceAll("${.PV.name}", input.pvName);
    if (parameters.ensureUniqueDirectory) name = `${name}-${input.unique}`;
  }
  const joined = `/${[parameters.basePath, name].join("/")}`.replace(/\/+/g, "/").replace(/\/$/, "") || "/";
  if (joined.length > rootPathLengthMax) return { error: `Access point root directory "${joined}" is longer than ${rootPathLengthMax} characters` };
  if (joined.split("/").length - 1 > 4) return { error: `Access point root directory "${joined}" has more than 4 components` };
  return joined;
}

function optionalId(value: string | undefined, name: string): number | undefined | string {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 4294967295) return `Invalid ${name} "${value}": must be a whole number of at least 0`;
  return parsed;
}

function gidRange(startText?: string, endText?: string): { start: number; end: number } | { error: string } {
  if (startText === undefined && endText === undefined) return { ...gidRangeDefault };
  if (startText === undefined || endText === undefined) return { error: "gidRangeStart and gidRangeEnd must be given together" };
  const start = Number(startText);
  const end = Number(endText);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1) return { error: `Invalid GID range "${startText}-${endText}"` };
  if (end <= start) return { error: `Invalid GID range: gidRangeEnd ${end} must be greater than gidRangeStart ${start}` };
  return { start, end: Math.min(end, start + gidRangeSpanMax) };
}

function bool(value: string | undefined, fallback: boolean, name: string): boolean | string {
  if (value === undefined) return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  return `Invalid ${name} "${value}": must be "true" or "false"`;
}
