// The FUSE daemon: the process the supervisor forks (daemonEntryPath, _main.ts) that serves many
// mounts, each on its own /dev/fuse connection: the kernel protocol (_protocol.ts), one Session
// per mount with its inode table, the handlers of each operation acting as the mount's identity,
// and the native shim for passthrough, locks and xattrs. Nothing here runs in the Moor process
// except what this head file exports.

import { fileURLToPath } from "node:url";
import { nativeShim } from "./_native.js";

/** The daemon's entry point, for fork(). */
export const daemonEntryPath = fileURLToPath(new URL("./_main.js", import.meta.url));

/** Whether file data can bypass the daemon (the native shim is built and loads). */
export function passthroughAvailable(): boolean {
  return nativeShim() !== null;
}

export { Opcode } from "./_protocol.js";
