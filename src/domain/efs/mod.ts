// EFS's rules with no I/O: resource ids and ARNs, the store objects' shapes (FileSystem,
// AccessPoint, MountTarget under efs.moor.dev/v1), input validation by the service model's
// constraints, tag, throughput, lifecycle, access-point and mount-target rules, the error
// vocabulary, and file-system policy parsing and evaluation (which the mount engine calls).

export * from "./_errors.js";
export * from "./_ids.js";
export * from "./_objects.js";
export * from "./_shape.js";
export * from "./_fields.js";
export * from "./_tags.js";
export * from "./_file-system.js";
export * from "./_lifecycle.js";
export * from "./_access-point.js";
export * from "./_mount-target.js";
export * from "./_policy.js";
export * from "./_policy-evaluation.js";
export * from "./_client-mount.js";
