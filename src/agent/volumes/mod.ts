// A pod's volumes on the host, ready to bind into its containers: emptyDir, the volumes written
// from objects (configMap, secret, downwardAPI, projected), and persistentVolumeClaim and csi
// through the VolumeProvider port that the mount engine implements. Everything lives under the
// pod's directory and goes with the pod: releaseVolumes() undoes prepareVolume().

export { prepareVolume, releaseVolumes, type PreparedVolume, type VolumeContext } from "./_volumes.js";
export type { VolumeMountRequest, VolumeProvider } from "../../engines/mount/mod.js";
