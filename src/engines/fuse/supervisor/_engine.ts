// The supervisor, in Moor's process: places mounts on daemon processes (up to a number of mounts
// each), adopts the daemons an earlier Moor left serving, has a new daemon take over the
// connections of a daemon that died, whether Moor ran then or not (kept by the descriptor holder, so its callers only waited;
// a connection no longer kept is mounted anew on top of the dead one at the same path, which
// propagates into sandboxes that bind the mount point with slave propagation), and when Moor
// stops unmounts what nobody keeps and leaves the daemons of the rest serving.

import { quote, unavailable } from "../../../errors/mod.js";
import { isProcessRunning } from "../../command/mod.js";
import { moorMountsAt, unmountAllAt } from "./_mounts.js";
import { DaemonProcess, type DaemonEvents } from "./_process.js";
import { MountRecord, optionsOf, sameMount, validate } from "./_records.js";
import type { FuseEngineOptions, FuseMount, FuseMountOptions } from "./_options.js";
import { StateDirectory } from "./_state.js";

/** How long `adopt` waits for a daemon it could not adopt (and killed) to be gone. */
const killWaitMs = 5000;
const killPollMs = 10;

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
   * mounts are resumed as those of a daemon that died while no Moor ran (`resumeOrphans`).
   * Returns the mounts adopted or resumed.
   */
  async adopt(): Promise<number> {
    const found = this.state.runningDaemons().map((pid) => DaemonProcess.adopt(this.daemonSettings(), this.events, pid));
    let adopted = 0;
    const killed: number[] = [];
    for (const daemon of found) {
      const mounts = await daemon.ready.catch((error: Error) => {
        console.error(`moor fuse: the daemon of process ${daemon.pid} left by an earlier Moor cannot be adopted: ${error.message}`);
        killed.push(daemon.pid);
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
    // Killed (see DaemonProcess): its mounts are resumed once it can no longer read requests.
    for (const deadline = Date.now() + killWaitMs; killed.some(isProcessRunning) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, killPollMs));
    }
    return adopted + (await this.resumeOrphans());
  }

  /**
   * Mounts whose daemon died while no Moor ran (noted in the state directory, served by no daemon
   * adopted): a new daemon takes over the connections the descriptor holder kept, with their
   * node-id journals, so their callers, who waited, resume without error. A mount whose
   * connection is no longer kept is dead: said once here, and mounted over when asked for again.
   */
  private async resumeOrphans(): Promise<number> {
    const noted = this.state.notedMounts();
    // No new mount may take the id (the holder's key) of a connection that may still be kept.
    for (const request of noted) this.nextId = Math.max(this.nextId, request.id + 1);
    let resumed = 0;
    for (const request of noted.filter((candidate) => !this.records.has(candidate.id))) {
      const mountedOver = [...this.records.values()].some((record) => record.options.mountPoint === request.mountPoint);
      if (mountedOver || moorMountsAt(request.mountPoint).length === 0) {
        // Mounted over since, or unmounted (`moor down --all`): nothing to resume.
        this.state.forgetMount(request.id);
        continue;
      }
      const record = new MountRecord(request.id, optionsOf(request), (record) => this.unmount(record));
      record.adopted = true;
      this.records.set(record.id, record);
      try {
        await this.place(record, true);
        console.error(`moor fuse: ${quote(request.mountPoint)} lost its daemon while Moor was down: daemon ${record.daemonPid} serves its kept connection now`);
        resumed += 1;
      } catch (error) {
        this.records.delete(record.id);
        this.state.forgetMount(request.id);
        console.error(
          `moor fuse: ${quote(request.mountPoint)} is dead: its daemon died while Moor was down and its connection is no longer kept ` +
            `(the descriptor holder is gone, or gave it up after ${this.settings.takeoverTimeoutMs} ms); its callers get ENOTCONN ` +
            `until it is mounted again (${(error as Error).message})`,
        );
      }
    }
    return resumed;
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
