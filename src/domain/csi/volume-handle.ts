// The EFS CSI driver's volume handles and volume attributes, as the driver parses them:
// `[efs:]fs-id[:subpath[:fsap-id]]`, with `fs-id::fsap-id` meaning the access point's root.
// The only parser of a handle: the mount engine and the driver's node side both call it.

import type { CSIPersistentVolumeSource } from "../kube/mod.js";

export interface VolumeTarget {
  fileSystemId: string;
  /** Path under the file system root, or under the access point's root when one is given. */
  subPath: string;
  accessPointId?: string;
}

const fileSystemIdPattern = /^fs-[0-9a-f]{8,40}$/;
const accessPointIdPattern = /^fsap-[0-9a-f]{8,40}$/;

/** Parses a volume handle or mount target; returns an error message instead of throwing. */
export function parseVolumeHandle(handle: string): VolumeTarget | { error: string } {
  const prefixed = handle.startsWith("efs:");
  const fields = (prefixed ? handle.slice(4) : handle).split(":");
  if (fields.length > 3) return { error: `volume handle "${handle}" has ${fields.length + (prefixed ? 1 : 0)} fields; the format is [efs:]fs-id[:subpath[:fsap-id]]` };
  const [fileSystemId = "", subPath = "", accessPointId = ""] = fields;
  if (!fileSystemIdPattern.test(fileSystemId)) return { error: `volume handle "${handle}": "${fileSystemId}" is not a file system id (fs-[0-9a-f]{8,40})` };
  if (accessPointId && !accessPointIdPattern.test(accessPointId)) return { error: `volume handle "${handle}": "${accessPointId}" is not an access point id (fsap-[0-9a-f]{8,40})` };
  if (subPath && !subPath.startsWith("/")) return { error: `volume handle "${handle}": sub-path "${subPath}" must be absolute` };
  const target: VolumeTarget = { fileSystemId, subPath: cleanPath(subPath || "/") };
  if (accessPointId) target.accessPointId = accessPointId;
  return target;
}

export function isVolumeTarget(value: VolumeTarget | { error: string }): value is VolumeTarget {
  return !("error" in value);
}

/** Like Go's path.Clean for absolute paths: no empty, "." or ".." components, never above "/". */
export function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

export interface MountSettings {
  tls: boolean;
  iam: boolean;
  readOnly: boolean;
}

const knownAttributes = new Set(["encryptInTransit", "mounttargetip", "mounttargetipmap", "crossaccount", "storage.kubernetes.io/csiProvisionerIdentity"]);

/** Reads a PV's volumeAttributes and mountOptions the way the driver does. */
export function mountSettings(attributes: Record<string, string> = {}, mountOptions: string[] = [], accessPoint = false): MountSettings | { error: string } {
  for (const key of Object.keys(attributes)) {
    if (!knownAttributes.has(key)) return { error: `Volume context property ${key} not supported` };
  }
  const options = new Set(mountOptions.map((option) => option.trim().toLowerCase()));
  const encrypt = attributes.encryptInTransit ?? "true";
  if (encrypt !== "true" && encrypt !== "false") return { error: `Volume context property "encryptInTransit" must be a boolean value: ${encrypt}` };
  if (encrypt === "false" && options.has("tls")) return { error: `Found tls in mountOptions but encryptInTransit is false` };
  if (attributes.mounttargetip !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(attributes.mounttargetip)) {
    return { error: `Volume context property "mounttargetip" must be an IP address: ${attributes.mounttargetip}` };
  }
  return {
    // With an access point the driver always adds tls.
    tls: encrypt === "true" || options.has("tls") || accessPoint,
    iam: options.has("iam"),
    readOnly: options.has("ro"),
  };
}

/** What the driver's node side takes from a PersistentVolume: its parsed handle and mount settings. */
export interface CsiVolume {
  handle: string;
  target: VolumeTarget;
  settings: MountSettings;
}

/** Reads a PersistentVolume's CSI source and mount options once, the way the driver does. */
export function readCsiVolume(source: CSIPersistentVolumeSource, mountOptions: string[] = []): CsiVolume | { error: string } {
  const handle = source.volumeHandle ?? "";
  const target = parseVolumeHandle(handle);
  if (!isVolumeTarget(target)) return target;
  // With an access point the driver always adds tls.
  const settings = mountSettings(source.volumeAttributes ?? {}, mountOptions, target.accessPointId !== undefined);
  if ("error" in settings) return settings;
  return { handle, target, settings };
}
