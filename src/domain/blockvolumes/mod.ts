// Block volumes as EC2 sees them (kind Volume in the ec2.moor.dev group, named by its `vol-` id)
// and the EBS CSI driver's provisioning rules: which provisioners are EBS, the class parameters
// (`type`, `fsType` or `csi.storage.k8s.io/fstype`), a request rounded up to whole GiB.

import { quote } from "../../errors/mod.js";

export const volumeKind = "Volume";
export const volumeApiVersion = "ec2.moor.dev/v1";
export const ebsCsiProvisioner = "ebs.csi.aws.com";
export const inTreeEbsProvisioner = "kubernetes.io/aws-ebs";
export const blockProvisioners: readonly string[] = [ebsCsiProvisioner, inTreeEbsProvisioner];

const gibBytes = 1024 ** 3;
const volumeTypes = ["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"];

export interface VolumeAttachment {
  /** The node (an instance, on AWS) the volume is attached to. */
  nodeName: string;
  instanceId: string;
  device: string;
  attachTime: string;
}

export interface VolumeSpec {
  sizeGiB: number;
  volumeType: string;
  availabilityZone: string;
  createTime: string;
  tags: { Key: string; Value: string }[];
}

export interface VolumeStatus {
  state: "creating" | "available" | "in-use" | "deleting";
  attachments: VolumeAttachment[];
  /** The size of the ext4 file system as last staged or grown; less than the volume's while an expansion waits. */
  fileSystemBytes?: number;
}

export interface VolumeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; resourceVersion?: string };
  spec: VolumeSpec;
  status: VolumeStatus;
}

export interface BlockClassParameters {
  volumeType: string;
  fsType: string;
}

/** A class's parameters, or the error the driver reports for them. */
export function blockClassParameters(provisioner: string, parameters: Record<string, string>): BlockClassParameters | { error: string } {
  const lower = Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key.toLowerCase(), value]));
  const volumeType = (lower.type ?? (provisioner === inTreeEbsProvisioner ? "gp2" : "gp3")).toLowerCase();
  if (!volumeTypes.includes(volumeType)) return { error: `invalid AWS VolumeType ${quote(volumeType)}` };
  const fsType = (lower.fstype ?? lower["csi.storage.k8s.io/fstype"] ?? "ext4").toLowerCase();
  if (fsType !== "ext4") return { error: `fsType ${quote(fsType)} is not supported by Moor, only "ext4"` };
  return { volumeType, fsType };
}

/** EBS sizes are whole GiB: a request rounds up, at least 1 GiB. */
export function sizeGiBFor(requestBytes: number): number {
  return Math.max(1, Math.ceil(requestBytes / gibBytes));
}

export function bytesOfGiB(sizeGiB: number): number {
  return sizeGiB * gibBytes;
}

/** A volume id from 17 hex digits of a stable seed (the claim's uid hashed), so a retry finds it. */
export function volumeIdFrom(hexSeed: string): string {
  return `vol-${hexSeed.toLowerCase().replace(/[^0-9a-f]/g, "").padEnd(17, "0").slice(0, 17)}`;
}

/** The device name the first attachment gets, as the EBS CSI driver asks for one. */
export const firstDeviceName = "/dev/xvdaa";
