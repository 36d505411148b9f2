// What the supervisor (in the Moor process) and a FUSE daemon process share: the messages they
// exchange over the daemon's control socket (one JSON message a line, see _lines.ts), where that
// socket lives, the identity a mount acts as, and the file-system type under which the daemon's
// mounts appear in the mount table.
//
// The daemon listens and the supervisor connects, so a Moor that restarts finds the daemons of
// the one before it in the state directory and connects to them: they serve on meanwhile.

import { join } from "node:path";

export { sendLine, readLines } from "./_lines.js";

/** A daemon's control socket in the state directory: `daemon-<pid>.sock`. */
export function daemonSocketPath(stateDirectory: string, pid: number): string {
  return join(stateDirectory, `daemon-${pid}.sock`);
}

/** The pid of the daemon behind a file name of the state directory, if it is a control socket. */
export function daemonPidOf(fileName: string): number | undefined {
  const match = /^daemon-(\d+)\.sock$/.exec(fileName);
  return match ? Number(match[1]) : undefined;
}

/**
 * Where a daemon notes a mount it serves (the MountRequest, as JSON): `mount-<id>.json` in the
 * state directory, from its mounting to its end. A Moor that starts after the daemon died finds
 * there the mounts whose connections the descriptor holder may still keep, and resumes them.
 */
export function mountFilePath(stateDirectory: string, id: number): string {
  return join(stateDirectory, `mount-${id}.json`);
}

/** A mount's node-id journal in the state directory (see daemon/_journal.ts). */
export function journalFilePath(stateDirectory: string, id: number): string {
  return join(stateDirectory, `nodes-mount-${id}.log`);
}

/** The mount id behind a file name of the state directory, if it is a mount's file. */
export function mountIdOf(fileName: string): number | undefined {
  const match = /^mount-(\d+)\.json$/.exec(fileName);
  return match ? Number(match[1]) : undefined;
}

/** Moor's FUSE mounts show in /proc/self/mountinfo with this type. */
export const fuseType = "fuse.moor";

/** An access point's POSIX identity (EFS PosixUser), which a mount acts as. */
export interface Identity {
  uid: number;
  gid: number;
  secondaryGids: number[];
}

export interface MountRequest {
  type: "mount";
  id: number;
  source: string;
  /** The file system's root: `source` is opened beneath it, through no symbolic link. */
  within?: string;
  mountPoint: string;
  identity?: Identity;
  readOnly?: boolean;
  squashRoot?: boolean;
  entryTimeoutMs: number;
  attrTimeoutMs: number;
  /**
   * Serve the connection the descriptor holder kept for this mount id, whose daemon died,
   * instead of mounting: its callers waited and are answered now.
   */
  resume?: boolean;
}

export interface StatsRequest {
  type: "stats";
  id: number;
}

/**
 * Ends the daemon: it has no mount left that anyone keeps. (A supervisor that goes away without
 * it, Moor stopping with pods running or Moor crashing, leaves the daemon serving.)
 */
export interface ExitRequest {
  type: "exit";
}

export type ToDaemon = MountRequest | StatsRequest | ExitRequest;

export interface MountStats {
  /** Requests that reached the daemon, by FUSE opcode. */
  requests: Record<number, number>;
  /** Time the daemon's handlers took, by FUSE opcode, in ns (only with MOOR_FUSE_PROFILE=1). */
  handlerNanos?: Record<number, number>;
  /** Whether file data bypasses the daemon (FUSE passthrough). */
  passthrough: boolean;
  /** Inodes the daemon currently knows for this mount. */
  inodes: number;
}

export type FromDaemon =
  /** First on every connection: the mounts the daemon serves (a new Moor adopts them). */
  | { type: "ready"; pid: number; mounts: MountRequest[] }
  | { type: "mounted"; id: number }
  | { type: "failed"; id: number; message: string }
  | { type: "stats"; id: number; stats: MountStats }
  | { type: "bytes"; id: number; deltaBytes: number }
  | { type: "closed"; id: number }
  /** The daemon's event loop is running: sent every heartbeat interval. */
  | { type: "alive" };
