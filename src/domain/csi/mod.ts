// The EFS CSI driver's rules with no I/O: volume handles, volume attributes and mount options,
// and dynamic provisioning parameters.

export * from "./volume-handle.js";
export * from "./provisioning.js";
export const driverName = "efs.csi.aws.com";
