// DnsServer: runs the DNS daemon (_daemon.ts) as a child process, inside a network namespace
// when given one (`ip netns exec`, which execs node in place, so the child is the daemon), and
// feeds it the latest records. A daemon that dies is started again after `restartDelayMs` and
// given the records anew.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { DnsRecord } from "../../domain/dns/mod.js";
import { unavailable } from "../../errors/mod.js";

const run = promisify(execFile);
const daemonPath = fileURLToPath(new URL("./_daemon.js", import.meta.url));
/** How long a daemon may take to bind its sockets. */
const readyTimeoutMs = 10_000;
const restartDelayMs = 1_000;
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
    if (this.#options.namespace) await addAddresses(this.#options.namespace, this.#options.addresses);
    await this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  #send(): void {
    const child = this.#child;
    if (child?.connected) child.send({ type: "records", records: this.#records });
  }

  async #spawn(): Promise<void> {
    const config = JSON.stringify({ addresses: this.#options.addresses, port: this.#options.port ?? 53 });
    const node = [process.execPath, daemonPath, config];
    const [program, ...args] = this.#options.namespace ? ["ip", "netns", "exec", this.#options.namespace, ...node] : node;
    const child = spawn(program!, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
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
