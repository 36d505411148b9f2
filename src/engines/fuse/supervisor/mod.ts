// The FUSE supervisor: the part of the FUSE engine that runs in the Moor process. It starts
// daemon processes (up to mountsPerDaemonMax mounts each) that outlive Moor, adopts those an
// earlier Moor left serving (their sockets in the state directory), hands them mounts over their
// control sockets, watches their heartbeats, and repairs the mounts of a daemon that died or hung,
// while Moor ran or before it started: a new daemon takes over the connections the descriptor
// holder kept, or mounts a fresh connection over each at the same path. Also the mount-table
// chores around it: clearing dead mounts of an earlier Moor (unmountAll) and the shared mount
// root (prepareMountRoot).

export { FuseEngine } from "./_engine.js";
export type { FuseEngineOptions, FuseMount, FuseMountOptions } from "./_options.js";
export { prepareMountRoot, unmountAll } from "./_mounts.js";
