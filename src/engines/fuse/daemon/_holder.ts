// The daemon's side of the descriptor holder (native/moor_fuse_holder.c): each mount's /dev/fuse
// descriptor is handed to the holder as soon as it is mounted, so that the kernel connection
// outlives this process. When this daemon dies its callers wait (the kernel queues their
// requests), and the next daemon takes the descriptor back (`take`) and serves them; one that
// no daemon takes back within the holder's bound is closed, and callers get ENOTCONN. The holder
// copies descriptors with pidfd_getfd (both sides run as root), so the socket carries text only.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { nativeBuildPath, type NativeShim } from "./_native.js";

const connectTimeoutMs = 3000;
const connectRetryMs = 20;
const closedAnswer = "error closed";

/** The holder's socket in the state directory. */
export function holderSocketPath(stateDirectory: string): string {
  return join(stateDirectory, "holder.sock");
}

export class Holder {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly waiting: ((line: string) => void)[] = [];
  private pending = "";

  constructor(
    private readonly stateDirectory: string,
    /** How long a descriptor waits for a new daemon before the holder closes it. */
    private readonly boundMs: number,
    private readonly shim: NativeShim,
  ) {}

  /** Hands `fd` to the holder under `key` (this daemon owns it while it lives). */
  async hold(key: string, fd: number): Promise<void> {
    const line = `hold ${key} ${process.pid} ${fd}`;
    let answer = await this.ask(line);
    // A holder that was ending (idle) as this daemon connected: the next one is started.
    if (answer === closedAnswer) answer = await this.ask(line);
    if (answer !== "ok") throw new Error(`the descriptor holder refused "${key}": ${answer}`);
  }

  /** Takes the descriptor kept under `key` (a copy in this process), or undefined if none. */
  async take(key: string): Promise<number | undefined> {
    const answer = await this.ask(`take ${key}`);
    const match = /^fd (\d+) (\d+)$/.exec(answer);
    if (!match) return undefined;
    const fd = this.shim.pidfdGetfd(Number(match[1]), Number(match[2]));
    if (fd < 0) throw new Error(`taking "${key}" from the descriptor holder failed: errno ${-fd}`);
    return fd;
  }

  /** The mount is gone: the holder closes its copy. */
  async drop(key: string): Promise<void> {
    await this.ask(`drop ${key}`);
  }

  private async ask(line: string): Promise<string> {
    const socket = await this.connected();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      socket.write(`${line}\n`);
    });
  }

  private connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<Socket> {
    const path = holderSocketPath(this.stateDirectory);
    let started = false;
    for (const deadline = Date.now() + connectTimeoutMs; ; ) {
      const socket = await attempt(path);
      if (socket) return this.adopt(socket);
      if (!started) {
        started = true;
        this.start(path);
      }
      if (Date.now() > deadline) throw new Error(`the descriptor holder at "${path}" cannot be reached`);
      await new Promise((resolve) => setTimeout(resolve, connectRetryMs));
    }
  }

  /** Starts the holder in a session of its own: it outlives this daemon by design. */
  private start(path: string): void {
    const program = nativeBuildPath("moor_fuse_holder");
    if (!program) throw new Error("the descriptor holder is not built (native/build.sh)");
    spawn(program, [path, String(this.boundMs), this.stateDirectory], { detached: true, stdio: "ignore" }).unref();
  }

  private adopt(socket: Socket): Socket {
    this.socket = socket;
    // Kept open for the daemon's life: its close tells the holder this daemon died.
    socket.unref();
    socket.on("data", (chunk: Buffer) => {
      this.pending += chunk.toString();
      for (let end = this.pending.indexOf("\n"); end >= 0; end = this.pending.indexOf("\n")) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 1);
        this.waiting.shift()?.(line);
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      for (const waiter of this.waiting.splice(0)) waiter(closedAnswer);
    });
    return socket;
  }
}

function attempt(path: string): Promise<Socket | undefined> {
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}
