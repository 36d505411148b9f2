// What the supervisor (in the Moor process) and a FUSE daemon process share: the messages they
// exchange over the Node IPC channel, the identity a mount acts as, and the file-system type
// under which the daemon's mounts appear in the mount table.

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
}

export interface StatsRequest {
  type: "stats";
  id: number;
}

export type ToDaemon = MountRequest | StatsRequest;

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
  | { type: "ready"; pid: number }
  | { type: "mounted"; id: number }
  | { type: "failed"; id: number; message: string }
  | { type: "stats"; id: number; stats: MountStats }
  | { type: "bytes"; id: number; deltaBytes: number }
  | { type: "closed"; id: number }
  /** The daemon's event loop is running: sent every heartbeat interval. */
  | { type: "alive" };
