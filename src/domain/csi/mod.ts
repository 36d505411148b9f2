// The EFS CSI driver's rules with no I/O: volume handles, volume attributes and mount options,
// and dynamic provisioning parameters.

export * from "./volume-handle.js";
export * from "./provisioning.js";
export const driverName = "efs.csi.aws.com";

/**
 * The IAM role a pod's `iam` mounts present to the file-system policy (an ECS task's task role,
 * DESIGN decision 9); without it, the client's own identity.
 */
export const iamRoleAnnotation = "moor.dev/iam-role-arn";
