// Moor's FUSE engine: serves a directory of the backing store at a mount point, checking and
// performing every operation as an access point's identity (EFS PosixUser), with root squashing
// (no ClientRootAccess) and read-only mounts (no ClientWrite). The mount engine calls it for
// volumes that need enforcement; volumes that need none are bind mounts.
//
// Parts: supervisor/ runs in the Moor process (forks, heartbeats and repairs daemons); daemon/ is
// the daemon process (kernel protocol, sessions, inodes, the operations); wire/ is what both
// share (IPC messages, the mount identity, the mount type).
//
// Process model. The daemon runs in its own process, one process for up to `mountsPerDaemonMax`
// mounts (32 by default), started by Moor in a session of its own and spoken to over a control
// socket in the state directory (`run/fuse/daemon-<pid>.sock` under the data directory):
//   - the data plane outlives the control plane (DESIGN decision 14): when Moor stops with pods
//     running, crashes or is killed, its daemons serve on (a pod's volume never stops working,
//     open files, working directories and locks included, since the inode and handle tables live
//     in the daemon); the next Moor connects to them (`adopt`) and hands each volume back as it
//     is when its pod asks again; a daemon left with nothing to serve and no Moor ends itself;
//   - a daemon that dies fails no caller: each mount's /dev/fuse descriptor is also kept by the
//     descriptor holder (native/moor_fuse_holder.c, one small process per state directory, its
//     socket `run/fuse/holder.sock`), so the kernel connection outlives the daemon and queues the
//     callers' requests; Moor starts a new daemon (on death, or on a hang: no heartbeat for 10 s,
//     hangTimeoutMs, and it is killed) that takes the descriptor back (pidfd_getfd), asks the
//     kernel to resend what the dead one read but never answered (FUSE_NOTIFY_RESEND), and serves
//     the dead daemon's node ids from the node-id journal (`nodes-mount-<id>.log`: each id with
//     its parent, name and inode number, appended before the kernel learns it; re-resolved and
//     checked when first asked for), so working directories, open files and cached names keep
//     working; callers wait meanwhile. A daemon notes each mount it serves (`mount-<id>.json`),
//     so when it dies while no Moor runs, the next Moor's `adopt` has a new daemon take those
//     connections over in the same way (the journal is compacted to the live ids as it grows, see
//     daemon/_journal.ts). When no daemon takes a connection over within
//     takeoverTimeoutMs (30 s; no Moor running, or restarts exhausted) the holder closes it and
//     callers get ENOTCONN, never an endless wait; such a dead mount is mounted over at the same
//     path when asked for again (and a daemon that cannot get its descriptor back does the same);
//     a mount made on top propagates into sandboxes that bind the mount point with slave
//     propagation (see `prepareMountRoot`);
//   - Moor's own event loop (SQLite, API servers) never delays file I/O, and nothing in Moor's
//     process can deadlock by touching a mount that process itself serves;
//   - one Node.js process (~55 MB) for many mounts keeps memory per mount low (~0.15 MB): a mount
//     costs its inode table and a few request buffers that stay untouched while passthrough
//     carries the data; the event loop watches every /dev/fuse descriptor (epoll, through the
//     native shim), so no thread waits per mount;
//   - when Moor stops, `stop()` unmounts everything but the mounts it is asked to keep, and ends
//     the daemons left with nothing (the holder ends when it holds nothing and no daemon is
//     connected); `moor down --all` kills the rest and the holder (their command lines name the
//     data directory) and unmounts what they served.
//
// Data path. Low-level, inode-based protocol (7.45); entries and attributes cached by the kernel
// (5 s by default; changes through any mount of the same daemon invalidate at once, and every
// open notices changes made elsewhere: close-to-open consistency, as NFS); file
// data goes through FUSE passthrough when the native shim (native/) is built, so reads and writes
// never reach the daemon; otherwise 1 MiB asynchronous positioned reads and writes on the backing
// descriptors. Metadata calls are synchronous system calls on the local backing store, made
// relative to pinned directory descriptors (fstatat, openat) or on the file's open descriptor.
// After answering, a daemon keeps polling its device for up to 100 µs (spinMicros) before it
// sleeps: the requests of one create or one untarred file come one after another, and waking a
// sleeping daemon costs more than serving the request (see _channel.ts, bench/fuse-roundtrip).
//
// Semantics. The effective identity is the access point's PosixUser when given, else the caller's
// uid/gid/groups (as NFS AUTH_SYS); uid 0 squashes to 65534/65534 without root access. New files
// belong to the effective identity; chown needs root (chown_restricted). Nothing escapes the
// served directory: the daemon works relative to pinned directory descriptors, never follows
// symlinks, and checks the inode behind every name it re-resolves. Differences from a local file
// system, by design: device nodes cannot be created; POSIX ACLs (system.*) are not supported;
// fcntl(F_GETLK) reports no holder pid; set-id bits are dropped when a non-root writer opens a file
// for writing (not at its first write); names must be valid UTF-8.

import { FuseEngine, type FuseMount, type FuseMountOptions } from "./supervisor/mod.js";

export { FuseEngine, prepareMountRoot, unmountAll, type FuseEngineOptions, type FuseMount, type FuseMountOptions } from "./supervisor/mod.js";
export { passthroughAvailable, Opcode as FuseOpcode } from "./daemon/mod.js";
export type { Identity, MountStats } from "./wire/mod.js";

let defaultEngine: FuseEngine | undefined;

/** Mounts `source` at `mountPoint` through the process-wide FUSE engine. */
export function mountFuse(options: FuseMountOptions): Promise<FuseMount> {
  defaultEngine ??= new FuseEngine();
  return defaultEngine.mount(options);
}

/** Unmounts every mount of the process-wide engine and ends its daemons (Moor stopping). */
export async function stopFuse(): Promise<void> {
  const engine = defaultEngine;
  defaultEngine = undefined;
  await engine?.stop();
}
