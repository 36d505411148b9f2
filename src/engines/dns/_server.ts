// DnsServer: runs the DNS daemon (_daemon.ts) as a child process, inside a network namespace
// when given one (`ip netns exec`, which execs node in place, so the child is the daemon), and
// feeds it the latest records. A daemon that dies is started again after `restartDelayMs` and
// given the records anew.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { DnsRecord } from "../../domain/dns/mod.js";
import { unavailable } from "../../errors/mod.js";

const run = promisify(execFile);
const daemonPath = fileURLToPath(new URL("./_daemon.js", import.meta.url));
/** How long a daemon may take to bind its sockets. */
const readyTimeoutMs = 10_000;
const restartDelayMs = 1_000;
/** How long a previous Moor's daemon gets to end on SIGTERM before it is killed. */
const previousExitWaitMs = 3_000;
/**
 * The interface the server's addresses live on inside the namespace: its loopback (this kernel
 * has no dummy interfaces); the namespace answers ARP for them on every bridge all the same.
 */
const interfaceName = "lo";

export interface DnsServerOptions {
  /** The network namespace to serve in; none: the namespace Moor runs in. */
  namespace?: string;
  /** IPv4 addresses to answer on; inside a namespace they are put on its loopback interface. */
  addresses: string[];
  /** 53 unless told (benchmarks and tests use a free port on 127.0.0.1). */
  port?: number;
  /** Runs before each start: e.g. creating the namespace. */
  prepare?: () => Promise<void>;
  /**
   * Where the daemon records its pid. With one, `stop()` may leave it answering (see
   * `keepRunning`) and the next `start()` replaces it; without, it ends with Moor.
   */
  pidFile?: string;
  /** Asked by `stop()`: whether the daemon should go on answering without Moor (pods still run). */
  keepRunning?: () => boolean;
  /** Where a daemon that may outlive Moor writes its errors (Moor's stderr may be gone). */
  logFile?: string;
}

export class DnsServer {
  readonly name = "cluster-dns";
  readonly #options: DnsServerOptions;
  #records: DnsRecord[] = [];
  #child: ChildProcess | undefined;
  #stopping = false;
  #restart: NodeJS.Timeout | undefined;

  constructor(options: DnsServerOptions) {
    this.#options = options;
  }

  /** The daemon's process id while it runs (tests). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Replaces every record the daemon answers from; kept for a daemon started later. */
  publish(records: DnsRecord[]): void {
    this.#records = records;
    this.#send();
  }

  async start(): Promise<void> {
    this.#stopping = false;
    await this.#options.prepare?.();
    if (this.#options.pidFile) await endPrevious(this.#options.pidFile);
    if (this.#options.namespace) await addAddresses(this.#options.namespace, this.#options.addresses);
    await this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (this.#options.pidFile && this.#options.keepRunning?.()) {
      // The data plane outlives the control plane: it keeps the last records until replaced.
      child.disconnect();
      child.unref();
      return;
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  #send(): void {
    const child = this.#child;
    if (child?.connected) child.send({ type: "records", records: this.#records });
  }

  async #spawn(): Promise<void> {
    const { addresses, pidFile, logFile } = this.#options;
    const config = JSON.stringify({ addresses, port: this.#options.port ?? 53, ...(pidFile ? { pidFile } : {}) });
    const node = [process.execPath, daemonPath, config];
    const [program, ...args] = this.#options.namespace ? ["ip", "netns", "exec", this.#options.namespace, ...node] : node;
    const log = logFile ? openSync(logFile, "a") : "inherit";
    // Its own process group when it may outlive Moor, so a Ctrl-C to Moor's does not reach it.
    const child = spawn(program!, args, { stdio: ["ignore", log, log, "ipc"], detached: pidFile !== undefined });
    if (typeof log === "number") closeSync(log);
    this.#child = child;
    let ready = false;
    child.once("exit", () => {
      if (ready) this.#onExit(child);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(unavailable(`Cannot start cluster DNS: its server did not answer within ${readyTimeoutMs} ms`));
      }, readyTimeoutMs);
      child.on("message", (message: { type?: string }) => {
        if (message?.type !== "ready") return;
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(unavailable(`Cannot start cluster DNS: its server exited with code ${code}`));
      });
    });
    ready = true;
    if (child.exitCode !== null || child.signalCode !== null) return this.#onExit(child);
    this.#send();
  }

  #onExit(child: ChildProcess): void {
    if (this.#stopping || this.#child !== child) return;
    console.error(`moor: cluster DNS server exited (${child.exitCode ?? child.signalCode}); starting it again`);
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    this.#restart = setTimeout(() => {
      if (this.#stopping) return;
      this.start().catch((error) => {
        console.error(`moor: ${error instanceof Error ? error.message : String(error)}`);
        if (!this.#stopping) this.#scheduleRestart();
      });
    }, restartDelayMs);
  }
}

async function addAddresses(namespace: string, addresses: string[]): Promise<void> {
  const inNamespace = (args: string[]) => run("ip", ["-n", namespace, ...args]);
  await inNamespace(["link", "set", interfaceName, "up"]);
  for (const address of addresses) await inNamespace(["addr", "replace", `${address}/32`, "dev", interfaceName]);
}

/** Ends the daemon a previous Moor left answering, if the pid file names one, before a new one binds. */
async function endPrevious(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(daemonPath)) return;
  } catch {
    return;
  }
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let waitedMs = 0; waitedMs < previousExitWaitMs; waitedMs += 25) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
  await new Promise((resolve) => setTimeout(resolve, 50));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
