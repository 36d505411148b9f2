// The supervisor, in Moor's process: places mounts on daemon processes (up to a number of mounts
// each), repairs the mounts of a daemon that died by mounting a fresh connection on top of each
// dead one at the same path (which propagates into sandboxes that bind the mount point with
// slave propagation), and unmounts everything when Moor stops.

import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { invalid, quote, unavailable } from "../../../errors/mod.js";
import type { Identity, MountStats } from "../wire/mod.js";
import { moorMountsAt, unmountAllAt } from "./_mounts.js";
import { DaemonProcess } from "./_process.js";

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
  /** Daemon restarts allowed within `restartWindowMs` before mounts are given up. */
  restartsMax?: number;
  restartWindowMs?: number;
}

class MountRecord implements FuseMount {
  daemon: DaemonProcess | undefined;
  repair: Promise<void> = Promise.resolve();
  unmounted = false;
  constructor(
    readonly id: number,
    readonly options: FuseMountOptions,
    private readonly engine: FuseEngine,
  ) {}
  get mountPoint(): string {
    return this.options.mountPoint;
  }
  get source(): string {
    return this.options.source;
  }
  get daemonPid(): number | undefined {
    return this.daemon?.pid;
  }
  repaired(): Promise<void> {
    return this.repair;
  }
  async stats(): Promise<MountStats> {
    await this.repair;
    if (!this.daemon) throw unavailable(`Cannot read FUSE statistics of ${quote(this.mountPoint)}: it is not served`);
    return this.daemon.stats(this.id);
  }
  unmount(): Promise<void> {
    return this.engine.unmount(this);
  }
}

export class FuseEngine {
  private readonly daemons: DaemonProcess[] = [];
  private readonly records = new Map<number, MountRecord>();
  private readonly restarts: number[] = [];
  private nextId = 1;
  private stopping = false;
  private readonly settings: Required<FuseEngineOptions>;

  constructor(options: FuseEngineOptions = {}) {
    this.settings = {
      mountsPerDaemonMax: options.mountsPerDaemonMax ?? 32,
      readersPerMount: options.readersPerMount ?? 2,
      // Changes through any mount of the same daemon invalidate at once, and every open checks
      // the file (close-to-open), so the timeouts only bound how long a stat or a name lookup
      // may miss a change made outside Moor's daemons (a bind-mounted volume, another host).
      entryTimeoutMs: options.entryTimeoutMs ?? 5000,
      attrTimeoutMs: options.attrTimeoutMs ?? 5000,
      passthrough: options.passthrough ?? true,
      spinMicros: options.spinMicros ?? 100,
      hangTimeoutMs: options.hangTimeoutMs ?? 10_000,
      restartsMax: options.restartsMax ?? 10,
      restartWindowMs: options.restartWindowMs ?? 60_000,
    };
  }

  async mount(options: FuseMountOptions): Promise<FuseMount> {
    if (this.stopping) throw unavailable(`Cannot mount FUSE at ${quote(options.mountPoint)}: the FUSE engine is stopping`);
    validate(options, [...this.records.values()]);
    options.signal?.throwIfAborted();
    const record = new MountRecord(this.nextId++, options, this);
    this.records.set(record.id, record);
    try {
      await this.place(record);
    } catch (error) {
      this.records.delete(record.id);
      throw error;
    }
    options.signal?.addEventListener("abort", () => void record.unmount().catch(() => undefined), { once: true });
    return record;
  }

  async unmount(record: MountRecord): Promise<void> {
    if (record.unmounted) return;
    record.unmounted = true;
    await record.repair.catch(() => undefined);
    await unmountAllAt(record.mountPoint);
    record.daemon?.mounts.delete(record.id);
    this.records.delete(record.id);
  }

  /**
   * Ends the daemon processes: Moor is stopping. Mounts go, except those `keep` names: they stay
   * in place, dead (ENOTCONN), so that the next Moor can mount over them at the same path and
   * the mount propagates into the sandboxes still using them (a pod keeps its volume's place).
   */
  async stop(options: { keep?: (mountPoint: string) => boolean } = {}): Promise<void> {
    this.stopping = true;
    const records = [...this.records.values()];
    const leaving = records.filter((record) => !options.keep?.(record.options.mountPoint));
    await Promise.allSettled(leaving.map((record) => this.unmount(record)));
    await Promise.allSettled(this.daemons.map((daemon) => daemon.stop()));
  }

  private async place(record: MountRecord): Promise<void> {
    const daemon = await this.daemonWithRoom(record);
    record.daemon = daemon;
    try {
      await daemon.mount({
        type: "mount",
        id: record.id,
        source: record.options.source,
        ...(record.options.within ? { within: record.options.within } : {}),
        mountPoint: record.options.mountPoint,
        identity: record.options.identity,
        readOnly: record.options.readOnly,
        squashRoot: record.options.squashRoot,
        entryTimeoutMs: this.settings.entryTimeoutMs,
        attrTimeoutMs: this.settings.attrTimeoutMs,
      });
    } catch (error) {
      daemon.mounts.delete(record.id);
      record.daemon = undefined;
      throw error;
    }
  }

  /** A live daemon below its mount limit (a new one if none), with `record` counted on it. */
  private async daemonWithRoom(record: MountRecord): Promise<DaemonProcess> {
    let daemon = this.daemons.find((candidate) => candidate.alive && candidate.mounts.size < this.settings.mountsPerDaemonMax);
    if (!daemon) {
      daemon = new DaemonProcess(this.settings, {
        bytes: (id, deltaBytes) => this.records.get(id)?.options.onBytesWritten?.(deltaBytes),
        closed: () => undefined,
        exited: (exited, reason) => this.exited(exited, reason),
      });
      this.daemons.push(daemon);
    }
    daemon.mounts.add(record.id);
    try {
      await daemon.ready;
    } catch (error) {
      daemon.mounts.delete(record.id);
      throw error;
    }
    return daemon;
  }

  private exited(daemon: DaemonProcess, reason: string): void {
    this.daemons.splice(this.daemons.indexOf(daemon), 1);
    const orphans = [...daemon.mounts].map((id) => this.records.get(id)).filter((record) => record && !record.unmounted) as MountRecord[];
    if (this.stopping || orphans.length === 0) return;
    console.error(`moor fuse: daemon ${daemon.pid} ended (${reason}): remounting ${orphans.length} mount(s)`);
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length > 0 && now - this.restarts[0] > this.settings.restartWindowMs) this.restarts.shift();
    for (const record of orphans) {
      record.daemon = undefined;
      if (this.restarts.length > this.settings.restartsMax) {
        record.repair = Promise.reject(unavailable(`Cannot repair the FUSE mount ${quote(record.mountPoint)}: its daemon died ${this.restarts.length} times within ${this.settings.restartWindowMs} ms`));
        record.repair.catch(() => undefined);
        continue;
      }
      record.repair = this.place(record);
      record.repair.catch((error) => console.error(`moor fuse: repairing ${quote(record.mountPoint)} failed:`, error));
    }
  }
}

/**
 * A mount point may hold Moor FUSE mounts only when they are dead (their daemon belonged to an
 * earlier Moor): the new mount stacks over them and so reaches the sandboxes that hold them.
 */
function validate(options: FuseMountOptions, live: MountRecord[]): void {
  const taken = live.some((record) => record.options.mountPoint === options.mountPoint);
  if (taken || (moorMountsAt(options.mountPoint).length > 0 && !isDeadMount(options.mountPoint))) {
    throw invalid(`Cannot mount FUSE at ${quote(options.mountPoint)}: a Moor FUSE mount is already there`);
  }
  const within = options.within;
  if (within !== undefined && (!isAbsolute(within) || (options.source !== within && !options.source.startsWith(`${within.replace(/\/$/, "")}/`)))) {
    throw invalid(`Cannot mount FUSE: source ${quote(options.source)} is not inside ${quote(within)}`);
  }
  for (const [name, path] of [["source", options.source], ["mountPoint", options.mountPoint]] as const) {
    if (!isAbsolute(path)) throw invalid(`Cannot mount FUSE: ${name} ${quote(path)} is not an absolute path`);
    if (name === "mountPoint" && isDeadMount(path)) continue;
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats?.isDirectory()) throw invalid(`Cannot mount FUSE: ${name} ${quote(path)} is not a directory`);
  }
  const identity = options.identity;
  if (identity && ![identity.uid, identity.gid, ...identity.secondaryGids].every((id) => Number.isInteger(id) && id >= 0 && id <= 0xfffffffe)) {
    throw invalid(`Cannot mount FUSE at ${quote(options.mountPoint)}: identity ${quote(JSON.stringify(identity))} is not a POSIX uid/gid set`);
  }
}

function isDeadMount(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOTCONN";
  }
}
