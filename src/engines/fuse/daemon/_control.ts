// The daemon's control socket: the supervisor of the Moor process that runs now connects here,
// and a Moor that restarts connects again. One supervisor at a time (a new connection replaces
// the old one). While none is connected the daemon serves on, keeps size changes for metering
// until one comes, and ends only when it has nothing left to serve.

import { chmodSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { readLines, sendLine, type FromDaemon, type ToDaemon } from "../wire/mod.js";

/** How often a daemon with nothing to serve and no supervisor checks whether to end. */
const idleCheckMs = 5000;

export interface ControlHandlers {
  /** Sent first on every connection (the mounts served, for a new Moor to adopt). */
  greeting(): FromDaemon;
  message(message: ToDaemon): void;
  /** Whether anything is served or being mounted: a daemon with nothing ends when alone. */
  busy(): boolean;
  /** A supervisor connected: what waited for one can be sent now. */
  connected(): void;
}

export class ControlSocket {
  private readonly server: Server;
  private supervisor: Socket | undefined;

  constructor(
    private readonly path: string,
    private readonly handlers: ControlHandlers,
  ) {
    this.server = createServer((socket) => this.accept(socket));
    setInterval(() => this.endIfIdle(), idleCheckMs).unref();
  }

  /** Listens (replacing a stale socket file), reachable by root only; resolves when it does. */
  listen(): Promise<void> {
    rmSync(this.path, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.path, () => {
        chmodSync(this.path, 0o600);
        resolve();
      });
    });
  }

  get connected(): boolean {
    return this.supervisor !== undefined;
  }

  /** Sends to the supervisor; false when none is connected (the caller keeps what matters). */
  send(message: FromDaemon): boolean {
    return this.supervisor ? sendLine(this.supervisor, message) : false;
  }

  /** Ends the daemon: its socket goes, so that no Moor looks for it. */
  exit(code = 0): never {
    rmSync(this.path, { force: true });
    process.exit(code);
  }

  /** Ends the daemon when nothing is served and no supervisor may ask for more. */
  endIfIdle(): void {
    if (!this.supervisor && !this.handlers.busy()) this.exit();
  }

  private accept(socket: Socket): void {
    this.supervisor?.destroy();
    this.supervisor = socket;
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (this.supervisor !== socket) return;
      this.supervisor = undefined;
      this.endIfIdle();
    });
    readLines(socket, (message) => this.handlers.message(message as ToDaemon));
    sendLine(socket, this.handlers.greeting());
    this.handlers.connected();
  }
}
