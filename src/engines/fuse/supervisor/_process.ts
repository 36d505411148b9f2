// One FUSE daemon process as the supervisor sees it: forked with a libuv pool big enough for the
// reads its mounts keep outstanding on /dev/fuse, spoken to over IPC, and watched for its exit
// and for hanging: a daemon whose heartbeat stops for `hangTimeoutMs` is killed, and its exit
// starts the same repair as a crash.

import { fork, type ChildProcess } from "node:child_process";
import { unavailable } from "../../../errors/mod.js";
import { daemonEntryPath } from "../daemon/mod.js";
import type { FromDaemon, MountRequest, MountStats } from "../wire/mod.js";

const spareThreads = 8;
const threadpoolMax = 1024;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

export class DaemonProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** Mount ids served by this process. */
  readonly mounts = new Set<number>();
  alive = true;
  private started = false;
  private readonly mountWaiters = new Map<number, Waiter<void>>();
  private readonly statsWaiters = new Map<number, Waiter<MountStats>>();
  private lastAliveMs = Date.now();
  private lastCheckMs = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private hung = false;

  constructor(
    private readonly settings: {
      readersPerMount: number;
      mountsPerDaemonMax: number;
      passthrough: boolean;
      spinMicros: number;
      hangTimeoutMs: number;
    },
    private readonly events: {
      bytes(id: number, deltaBytes: number): void;
      closed(id: number): void;
      exited(daemon: DaemonProcess, reason: string): void;
    },
  ) {
    const threads = Math.min(threadpoolMax, spareThreads + settings.readersPerMount * settings.mountsPerDaemonMax);
    this.child = fork(daemonEntryPath, [], {
      execArgv: ["--enable-source-maps"],
      env: {
        ...process.env,
        UV_THREADPOOL_SIZE: String(threads),
        MOOR_FUSE_READERS: String(settings.readersPerMount),
        MOOR_FUSE_PASSTHROUGH: settings.passthrough ? "1" : "0",
        MOOR_FUSE_SPIN_US: String(settings.spinMicros),
        MOOR_FUSE_HEARTBEAT_MS: String(this.heartbeatMs),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let started: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.child.on("message", (message: FromDaemon) => {
      if (message.type === "ready") {
        this.started = true;
        this.hold();
        this.lastAliveMs = Date.now();
        this.lastCheckMs = this.lastAliveMs;
        this.watchdog = setInterval(() => this.checkAlive(), this.heartbeatMs);
        this.watchdog.unref();
        started();
      } else {
        this.received(message);
      }
    });
    this.child.on("error", (error) => failed(error));
    this.child.on("exit", (code, signal) => {
      this.alive = false;
      this.started = true;
      if (this.watchdog) clearInterval(this.watchdog);
      const reason = this.hung ? `it answered nothing for ${this.settings.hangTimeoutMs} ms and was killed` : (signal ?? `exit code ${code}`);
      const error = unavailable(`Cannot reach the FUSE daemon: process ${this.child.pid} ended (${reason})`);
      failed(error);
      for (const waiter of [...this.mountWaiters.values(), ...this.statsWaiters.values()]) waiter.reject(error);
      this.mountWaiters.clear();
      this.statsWaiters.clear();
      this.events.exited(this, reason);
    });
    this.hold();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How often the daemon says it is alive: often enough to notice a hang well within the timeout. */
  private get heartbeatMs(): number {
    return Math.max(50, Math.min(1000, Math.floor(this.settings.hangTimeoutMs / 4)));
  }

  private checkAlive(): void {
    const now = Date.now();
    // If this process's own event loop was held up, the heartbeats are waiting unread: start over.
    const late = now - this.lastCheckMs > 2 * this.heartbeatMs;
    this.lastCheckMs = now;
    if (late) {
      this.lastAliveMs = now;
      return;
    }
    if (!this.alive || this.hung || now - this.lastAliveMs <= this.settings.hangTimeoutMs) return;
    this.hung = true;
    console.error(`moor fuse: daemon ${this.child.pid} answered nothing for ${now - this.lastAliveMs} ms: killing it to repair its mounts`);
    this.child.kill("SIGKILL");
  }

  mount(request: MountRequest): Promise<void> {
    return this.ask(this.mountWaiters, request.id, () => this.child.send(request));
  }

  stats(id: number): Promise<MountStats> {
    return this.ask(this.statsWaiters, id, () => this.child.send({ type: "stats", id }));
  }

  /** Asks the process to unmount everything and exit, as it does when Moor goes away. */
  stop(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.ref();
      if (this.child.connected) this.child.disconnect();
      else this.child.kill("SIGTERM");
    });
  }

  private ask<T>(waiters: Map<number, Waiter<T>>, id: number, send: () => void): Promise<T> {
    if (!this.alive) return Promise.reject(unavailable(`Cannot reach the FUSE daemon: process ${this.child.pid} ended`));
    return new Promise<T>((resolve, reject) => {
      waiters.set(id, { resolve, reject });
      this.hold();
      send();
    }).finally(() => this.hold());
  }

  private received(message: FromDaemon): void {
    if (message.type === "alive") {
      this.lastAliveMs = Date.now();
      return;
    }
    if (message.type === "bytes") return this.events.bytes(message.id, message.deltaBytes);
    if (message.type === "closed") return this.events.closed(message.id);
    if (message.type === "mounted") return this.settle(this.mountWaiters, message.id, (waiter) => waiter.resolve());
    if (message.type === "stats") return this.settle(this.statsWaiters, message.id, (waiter) => waiter.resolve(message.stats));
    if (message.type === "failed") {
      const error = unavailable(message.message);
      const waiters = this.mountWaiters.has(message.id) ? this.mountWaiters : this.statsWaiters;
      this.settle(waiters as Map<number, Waiter<unknown>>, message.id, (waiter) => waiter.reject(error));
    }
  }

  private settle<T>(waiters: Map<number, Waiter<T>>, id: number, action: (waiter: Waiter<T>) => void): void {
    const waiter = waiters.get(id);
    if (!waiter) return;
    waiters.delete(id);
    action(waiter);
  }

  /**
   * Keeps Moor's event loop alive only while it waits for an answer: mounts alone do not hold
   * Moor up, and when Moor exits the daemon sees the channel close and unmounts.
   */
  private hold(): void {
    const waiting = !this.started || this.mountWaiters.size + this.statsWaiters.size > 0;
    if (waiting) {
      this.child.ref();
      this.child.channel?.ref();
    } else {
      this.child.unref();
      this.child.channel?.unref();
    }
  }
}
