// PodIO: how front ends (the Kubernetes API's log and exec subresources) reach a running pod's
// containers. Logs come from the CRI-format files the container monitors write; exec runs
// `runc exec` (on a pseudo-terminal made by moor-shim when a TTY is asked for); port-forward opens
// a connection to a pod's port from inside its network namespace.

export { createPodIO, type PodIOHost } from "./_io.js";
export type { ExecOptions, ExecSession, LogOptions, PodIO, PodRef, PortForwardConnection } from "./_types.js";
