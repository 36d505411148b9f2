// What callers of the FUSE supervisor pass and get: the options of a mount and of the engine,
// and a mount as its caller holds it.

import type { Identity, MountStats } from "../wire/mod.js";

export interface FuseMountOptions {
  /** The backing directory to serve (the access point root), absolute. */
  source: string;
  /**
   * The file system's root, when `source` lies inside one: the daemon then opens `source` beneath
   * it through no symbolic link, so a link planted in the file system never leads a mount out.
   */
  within?: string;
  /** An existing directory; the mount goes on top of it. */
  mountPoint: string;
  /** The access point's PosixUser: every operation is checked and performed as it. */
  identity?: Identity;
  /** No ClientWrite: every write-class operation fails with EROFS. */
  readOnly?: boolean;
  /** No ClientRootAccess: uid 0 (caller or identity) acts as 65534/65534. */
  squashRoot?: boolean;
  /** Size changes of files, in bytes, for metering (batched, about every 100 ms). */
  onBytesWritten?: (deltaBytes: number) => void;
  /** Unmounts when aborted. */
  signal?: AbortSignal;
}

export interface FuseMount {
  readonly mountPoint: string;
  readonly source: string;
  /** The daemon process serving the mount now (another one after a repair). */
  readonly daemonPid: number | undefined;
  /** Settles when the mount is served again after its daemon died (at once when it is served). */
  repaired(): Promise<void>;
  /** What reached the daemon for this mount: for tests and benchmarks. */
  stats(): Promise<MountStats>;
  unmount(): Promise<void>;
}

export interface FuseEngineOptions {
  mountsPerDaemonMax?: number;
  /** Reads kept outstanding per mount when the native shim is missing (default 2). */
  readersPerMount?: number;
  /** How long the kernel may cache names and attributes (default 5 s each). */
  entryTimeoutMs?: number;
  attrTimeoutMs?: number;
  /** Let file data bypass the daemon when the kernel and the native shim allow (default true). */
  passthrough?: boolean;
  /**
   * How long a daemon keeps polling its devices after a request before it sleeps, in
   * microseconds (default 100; 0 turns it off). Needs the native shim. See _channel.ts.
   */
  spinMicros?: number;
  /**
   * A daemon whose event loop gives no sign of life for this long (stuck in a system call or a
   * loop) is killed, and its mounts are repaired as after a crash (default 10 s).
   */
  hangTimeoutMs?: number;
  /**
   * How long callers of a mount whose daemon died wait for a new daemon (the holder keeps the
   * connection meanwhile) before the connection is given up and they get ENOTCONN (default 30 s).
   */
  takeoverTimeoutMs?: number;
  /** Daemon restarts allowed within `restartWindowMs` before mounts are given up. */
  restartsMax?: number;
  restartWindowMs?: number;
  /**
   * Where daemons keep their control sockets and log: a Moor that restarts on the same directory
   * adopts the daemons still serving there (`adopt`). Default: a fresh temporary directory.
   */
  stateDirectory?: string;
}
