// The supervisor, in Moor's process: places mounts on daemon processes (up to a number of mounts
// each), adopts the daemons an earlier Moor left serving, has a new daemon take over the
// connections of a daemon that died (kept by the descriptor holder, so its callers only waited;
// a connection no longer kept is mounted anew on top of the dead one at the same path, which
// propagates into sandboxes that bind the mount point with slave propagation), and when Moor
// stops unmounts what nobody keeps and leaves the daemons of the rest serving.

import { quote, unavailable } from "../../../errors/mod.js";
import type { Identity, MountStats } from "../wire/mod.js";
import { moorMountsAt, unmountAllAt } from "./_mounts.js";
import { DaemonProcess, type DaemonEvents } from "./_process.js";
import { MountRecord, optionsOf, sameMount, validate } from "./_records.js";
import { StateDirectory } from "./_state.js";

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

export class FuseEngine {
  private readonly daemons: DaemonProcess[] = [];
  private readonly records = new Map<number, MountRecord>();
  private readonly restarts: number[] = [];
  private nextId = 1;
  private stopping = false;
  private readonly settings: Required<Omit<FuseEngineOptions, "stateDirectory">>;
  private readonly state: StateDirectory;
  private readonly events: DaemonEvents = {
    bytes: (id, deltaBytes) => this.records.get(id)?.options.onBytesWritten?.(deltaBytes),
    // Unmounted from outside (the agent clearing a pod's directories): nothing left to keep.
    closed: (id) => this.forget(id),
    exited: (exited, reason) => this.exited(exited, reason),
  };

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
      takeoverTimeoutMs: options.takeoverTimeoutMs ?? 30_000,
      restartsMax: options.restartsMax ?? 10,
      restartWindowMs: options.restartWindowMs ?? 60_000,
    };
    this.state = new StateDirectory(options.stateDirectory);
  }

  /**
   * Connects to the daemons an earlier Moor left serving in the state directory and takes their
   * mounts over: a later `mount` of the same directory at the same place under the same rules
   * gets the mount as it is, open files and all. A daemon that does not answer is killed; its
   * mounts, dead, are mounted over when asked for again. Returns the mounts adopted.
   */
  async adopt(): Promise<number> {
    const found = this.state.runningDaemons().map((pid) => DaemonProcess.adopt(this.daemonSettings(), this.events, pid));
    let adopted = 0;
    for (const daemon of found) {
      const mounts = await daemon.ready.catch((error: Error) => {
        console.error(`moor fuse: the daemon of process ${daemon.pid} left by an earlier Moor cannot be adopted: ${error.message}`);
        return undefined;
      });
      if (!mounts) continue;
      this.daemons.push(daemon);
      for (const request of mounts) {
        const record = new MountRecord(request.id, optionsOf(request), (record) => this.unmount(record));
        record.daemon = daemon;
        record.adopted = true;
        daemon.mounts.add(record.id);
        this.records.set(record.id, record);
        this.nextId = Math.max(this.nextId, record.id + 1);
        adopted += 1;
      }
    }
    return adopted;
  }

  async mount(options: FuseMountOptions): Promise<FuseMount> {
    if (this.stopping) throw unavailable(`Cannot mount FUSE at ${quote(options.mountPoint)}: the FUSE engine is stopping`);
    // A mount an earlier Moor's daemon serves here, that no caller of this engine has claimed.
    let served = [...this.records.values()].find((record) => record.adopted && record.options.mountPoint === options.mountPoint && !record.unmounted);
    if (served && moorMountsAt(options.mountPoint).length === 0) {
      // Unmounted from outside, and the daemon has not said so yet.
      this.forget(served.id);
      served = undefined;
    }
    if (served && sameMount(served.options, options)) {
      // Served already, by a daemon an earlier Moor started: the caller takes it over as it is.
      served.options = options;
      served.adopted = false;
      options.signal?.addEventListener("abort", () => void served.unmount().catch(() => undefined), { once: true });
      return served;
    }
    // Served under other rules (the access point or policy changed meanwhile): mounted anew.
    if (served) await this.unmount(served);
    validate(options, [...this.records.values()]);
    options.signal?.throwIfAborted();
    const record = new MountRecord(this.nextId++, options, (record) => this.unmount(record));
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
   * Moor is stopping. Mounts go, except those `keep` names and those adopted but not asked for
   * yet: their daemons serve on without Moor (a pod's volume never stops working), and the next
   * Moor adopts them. Daemons left with nothing to serve exit.
   */
  async stop(options: { keep?: (mountPoint: string) => boolean } = {}): Promise<void> {
    this.stopping = true;
    const records = [...this.records.values()];
    // Mounts adopted but not asked for yet (a pod not yet taken back) stay too: not ours to end.
    const leaving = records.filter((record) => !record.adopted && !options.keep?.(record.options.mountPoint));
    await Promise.allSettled(leaving.map((record) => this.unmount(record)));
    await Promise.allSettled(this.daemons.map(async (daemon) => {
      if ([...daemon.mounts].some((id) => this.records.has(id))) daemon.detach();
      else await daemon.stop();
    }));
    this.state.release();
  }

  private forget(id: number): void {
    const record = this.records.get(id);
    if (!record || record.unmounted) return;
    record.unmounted = true;
    record.daemon?.mounts.delete(id);
    this.records.delete(id);
  }

  private daemonSettings() {
    return { ...this.settings, stateDirectory: this.state.directory, ...(this.state.log !== undefined ? { logFd: this.state.log } : {}) };
  }

  /**
   * Serves a mount whose daemon died on the connection the descriptor holder kept (its callers
   * waited meanwhile, open files and working directories kept); mounts anew on top when no
   * connection was kept (the holder gave it up, or there is none).
   */
  private async resume(record: MountRecord): Promise<void> {
    try {
      await this.place(record, true);
    } catch (error) {
      if (record.unmounted) throw error;
      console.error(`moor fuse: resuming ${quote(record.mountPoint)} failed (${(error as Error).message}): mounting it anew`);
      await this.place(record);
    }
  }

  private async place(record: MountRecord, resume = false): Promise<void> {
    const daemon = await this.daemonWithRoom(record);
    record.daemon = daemon;
    try {
      await daemon.mount({
        type: "mount",
        ...(resume ? { resume } : {}),
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
      daemon = DaemonProcess.start(this.daemonSettings(), this.events);
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
    const index = this.daemons.indexOf(daemon);
    if (index >= 0) this.daemons.splice(index, 1);
    const orphans = [...daemon.mounts].map((id) => this.records.get(id)).filter((record) => record && !record.unmounted) as MountRecord[];
    if (this.stopping || orphans.length === 0) return;
    console.error(`moor fuse: daemon ${daemon.pid} ended (${reason}): serving its ${orphans.length} mount(s) by a new daemon`);
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
      record.repair = this.resume(record);
      record.repair.catch((error) => console.error(`moor fuse: repairing ${quote(record.mountPoint)} failed:`, error));
    }
  }
}
