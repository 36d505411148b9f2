// One FUSE daemon process as the supervisor sees it: started in a session of its own (so that
// neither Moor's end nor a signal to Moor's process group reaches it), or found running by a Moor
// that restarted; spoken to over its control socket; watched for its end and for hanging: a
// daemon whose heartbeat stops for `hangTimeoutMs` is killed, and its end starts the repair.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { quote, unavailable } from "../../../errors/mod.js";
import { isProcessRunning } from "../../command/mod.js";
import { daemonEntryPath } from "../daemon/mod.js";
import { daemonSocketPath, readLines, sendLine, type FromDaemon, type MountRequest, type MountStats, type ToDaemon } from "../wire/mod.js";

const spareThreads = 8;
const threadpoolMax = 1024;
/** How long a daemon may take to listen (started) or to greet (found running). */
const connectTimeoutMs = 10_000;
const connectRetryMs = 10;
/** How long a daemon told to exit (or killed) may take to be gone. */
const endTimeoutMs = 5000;
const pollMs = 10;
/** The longest path a Unix socket can have (sun_path, with its terminating zero). */
const socketPathMax = 107;
/** How a daemon's entry path ends, whichever build of Moor started it. */
const daemonEntryTail = "/fuse/daemon/_main.js";

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

export interface DaemonSettings {
  readersPerMount: number;
  mountsPerDaemonMax: number;
  passthrough: boolean;
  spinMicros: number;
  hangTimeoutMs: number;
  takeoverTimeoutMs: number;
  stateDirectory: string;
  /** Where a started daemon writes its output (an open file descriptor), or Moor's stderr. */
  logFd?: number;
}

export interface DaemonEvents {
  bytes(id: number, deltaBytes: number): void;
  closed(id: number): void;
  exited(daemon: DaemonProcess, reason: string): void;
}

export class DaemonProcess {
  /** Settles with the mounts the daemon serves once it has greeted this supervisor. */
  readonly ready: Promise<MountRequest[]>;
  /** Mount ids served by this process. */
  readonly mounts = new Set<number>();
  alive = true;
  private socket: Socket | undefined;
  private greeted = false;
  private leaving = false;
  private readonly mountWaiters = new Map<number, Waiter<void>>();
  private readonly statsWaiters = new Map<number, Waiter<MountStats>>();
  private lastAliveMs = Date.now();
  private lastCheckMs = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private hung = false;
  private endReason: string | undefined;

  /** Starts a daemon process. */
  static start(settings: DaemonSettings, events: DaemonEvents): DaemonProcess {
    const threads = Math.min(threadpoolMax, spareThreads + settings.readersPerMount * settings.mountsPerDaemonMax);
    const heartbeatMs = heartbeatOf(settings);
    const child = spawn(process.execPath, ["--enable-source-maps", daemonEntryPath, settings.stateDirectory], {
      env: {
        ...process.env,
        UV_THREADPOOL_SIZE: String(threads),
        MOOR_FUSE_READERS: String(settings.readersPerMount),
        MOOR_FUSE_PASSTHROUGH: settings.passthrough ? "1" : "0",
        MOOR_FUSE_SPIN_US: String(settings.spinMicros),
        MOOR_FUSE_HEARTBEAT_MS: String(heartbeatMs),
        MOOR_FUSE_TAKEOVER_MS: String(settings.takeoverTimeoutMs),
      },
      detached: true,
      stdio: ["ignore", settings.logFd ?? "inherit", settings.logFd ?? "inherit"],
    });
    child.unref();
    return new DaemonProcess(settings, events, child.pid ?? -1, child);
  }

  /** Connects to a daemon an earlier Moor started. */
  static adopt(settings: DaemonSettings, events: DaemonEvents, pid: number): DaemonProcess {
    return new DaemonProcess(settings, events, pid);
  }

  private constructor(
    private readonly settings: DaemonSettings,
    private readonly events: DaemonEvents,
    readonly pid: number,
    child?: ChildProcess,
  ) {
    const path = daemonSocketPath(settings.stateDirectory, pid);
    // The exit of a child of ours says why it ended; the socket's close says it for any daemon.
    child?.on("exit", (code, signal) => this.ended(this.hung ? undefined : (signal ?? `exit code ${code}`)));
    child?.on("error", (error) => this.ended(error.message));
    this.ready = path.length > socketPathMax
      ? Promise.reject(unavailable(`Cannot start a FUSE daemon: its socket path ${quote(path)} is longer than ${socketPathMax} bytes`))
      : this.connect(path);
    this.ready.catch((error: Error) => {
      // A daemon that cannot be spoken to cannot be supervised: it goes, and its mounts are repaired.
      this.kill();
      this.ended(error.message);
    });
  }

  /** How often the daemon says it is alive: often enough to notice a hang well within the timeout. */
  private get heartbeatMs(): number {
    return heartbeatOf(this.settings);
  }

  private async connect(path: string): Promise<MountRequest[]> {
    const deadline = Date.now() + connectTimeoutMs;
    for (;;) {
      if (!this.alive) throw unavailable(`Cannot reach the FUSE daemon: process ${this.pid} ended (${this.endReason})`);
      const socket = await open(path).catch((error: NodeJS.ErrnoException) => {
        if (Date.now() > deadline || !isProcessRunning(this.pid)) throw unavailable(`Cannot reach the FUSE daemon of process ${this.pid} at ${quote(path)}: ${error.code ?? error.message}`);
        return undefined;
      });
      if (socket) return this.greet(socket, deadline);
      await new Promise((resolve) => setTimeout(resolve, connectRetryMs));
    }
  }

  private greet(socket: Socket, deadline: number): Promise<MountRequest[]> {
    this.socket = socket;
    this.hold();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(unavailable(`Cannot reach the FUSE daemon: process ${this.pid} did not greet`)), Math.max(0, deadline - Date.now()));
      socket.on("error", () => undefined);
      socket.on("close", () => {
        clearTimeout(timer);
        reject(unavailable(`Cannot reach the FUSE daemon: process ${this.pid} closed its socket`));
        if (!this.leaving) void this.lost();
      });
      readLines(socket, (message) => {
        const typed = message as FromDaemon;
        if (typed.type !== "ready") return this.received(typed);
        clearTimeout(timer);
        this.greeted = true;
        this.lastAliveMs = Date.now();
        this.lastCheckMs = this.lastAliveMs;
        this.watchdog = setInterval(() => this.checkAlive(), this.heartbeatMs);
        this.watchdog.unref();
        this.hold();
        resolve(typed.mounts);
      });
    });
  }

  /** The socket closed with no one asking: the daemon died, or is dying; make sure, then repair. */
  private async lost(): Promise<void> {
    if (!this.alive) return;
    this.kill();
    const reason = this.hung ? undefined : "its control socket closed";
    await waitUntil(() => !isProcessRunning(this.pid), endTimeoutMs);
    this.ended(reason);
  }

  private ended(reason: string | undefined): void {
    if (!this.alive) return;
    this.alive = false;
    this.endReason = this.hung ? `it answered nothing for ${this.settings.hangTimeoutMs} ms and was killed` : (reason ?? "unknown");
    if (this.watchdog) clearInterval(this.watchdog);
    this.socket?.destroy();
    const error = unavailable(`Cannot reach the FUSE daemon: process ${this.pid} ended (${this.endReason})`);
    for (const waiter of [...this.mountWaiters.values(), ...this.statsWaiters.values()]) waiter.reject(error);
    this.mountWaiters.clear();
    this.statsWaiters.clear();
    if (!this.leaving) this.events.exited(this, this.endReason);
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
    console.error(`moor fuse: daemon ${this.pid} answered nothing for ${now - this.lastAliveMs} ms: killing it to repair its mounts`);
    this.kill();
  }

  /** Kills the daemon: only a process whose command line is this daemon's (a pid may be reused). */
  private kill(): void {
    try {
      const argv = readFileSync(`/proc/${this.pid}/cmdline`, "utf8").split("\0");
      if (argv.some((argument) => argument.endsWith(daemonEntryTail)) && argv.includes(this.settings.stateDirectory)) process.kill(this.pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }

  mount(request: MountRequest): Promise<void> {
    return this.ask(this.mountWaiters, request.id, request);
  }

  stats(id: number): Promise<MountStats> {
    return this.ask(this.statsWaiters, id, { type: "stats", id });
  }

  /** Tells the daemon to exit (nothing it serves is kept) and waits until it has; kills it if not. */
  async stop(): Promise<void> {
    this.leaving = true;
    if (!this.alive) return;
    if (!(this.socket && sendLine(this.socket, { type: "exit" } satisfies ToDaemon))) this.kill();
    if (!(await waitUntil(() => !isProcessRunning(this.pid), endTimeoutMs))) this.kill();
    this.ended("told to exit");
  }

  /** Lets the daemon go on serving without this supervisor (Moor stopping with pods running). */
  detach(): void {
    this.leaving = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.socket?.end();
    this.alive = false;
  }

  private ask<T>(waiters: Map<number, Waiter<T>>, id: number, message: ToDaemon): Promise<T> {
    if (!this.alive || !this.socket) return Promise.reject(unavailable(`Cannot reach the FUSE daemon: process ${this.pid} ended`));
    const socket = this.socket;
    return new Promise<T>((resolve, reject) => {
      waiters.set(id, { resolve, reject });
      this.hold();
      sendLine(socket, message);
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
   * Moor up (the daemons serve on without it).
   */
  private hold(): void {
    const waiting = !this.greeted || this.mountWaiters.size + this.statsWaiters.size > 0;
    if (waiting) this.socket?.ref();
    else this.socket?.unref();
  }
}

function heartbeatOf(settings: { hangTimeoutMs: number }): number {
  return Math.max(50, Math.min(1000, Math.floor(settings.hangTimeoutMs / 4)));
}

function open(path: string): Promise<Socket> {
  if (!existsSync(path)) return Promise.reject(Object.assign(new Error("no socket yet"), { code: "ENOENT" }));
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return check();
}
