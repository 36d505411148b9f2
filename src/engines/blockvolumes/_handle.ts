// Which PersistentVolumes are block volumes, and their volume id: a CSI volume of the EBS CSI
// driver (handle `vol-…`), or an in-tree `awsElasticBlockStore` one (`aws://<zone>/vol-…` or
// `vol-…`), which EKS migrates to the CSI driver.

import { ebsCsiProvisioner as ebsCsiDriverName } from "../../domain/blockvolumes/mod.js";
import type { PersistentVolume } from "../../domain/kube/mod.js";

const volumeIdPattern = /^vol-[0-9a-f]{8,17}$/;

/** The volume id and file-system type of a block-volume PV, or undefined for any other PV. */
export function blockVolumeOf(pv: PersistentVolume | undefined): { volumeId: string; fsType: string; readOnly: boolean } | undefined {
  const spec = pv?.spec as (PersistentVolume["spec"] & { awsElasticBlockStore?: { volumeID?: string; fsType?: string; readOnly?: boolean } }) | undefined;
  if (spec?.csi?.driver === ebsCsiDriverName) {
    const volumeId = spec.csi.volumeHandle;
    if (!volumeIdPattern.test(volumeId)) return undefined;
    return { volumeId, fsType: spec.csi.fsType ?? "ext4", readOnly: Boolean(spec.csi.readOnly) };
  }
  const inTree = spec?.awsElasticBlockStore;
  if (inTree?.volumeID) {
    const volumeId = inTree.volumeID.split("/").at(-1) ?? "";
    if (!volumeIdPattern.test(volumeId)) return undefined;
    return { volumeId, fsType: inTree.fsType ?? "ext4", readOnly: Boolean(inTree.readOnly) };
  }
  return undefined;
}
