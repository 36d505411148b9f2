// Starts the metadata daemon inside the VPC's network namespace (`ip netns exec`), with
// 169.254.169.254 on the namespace's loopback, and sends it every published instance set.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unavailable } from "../../errors/mod.js";
import type { InstanceMetadata } from "./_answer.js";
import type { InstanceMountCall, InstanceMountReply } from "./_mounts.js";

const run = promisify(execFile);
const daemonPath = fileURLToPath(new URL("./_daemon.js", import.meta.url));
const readyTimeoutMs = 10_000;

export const metadataAddress = "169.254.169.254";

export interface MetadataServerOptions {
  /** The VPC's network namespace; absent: on the host (tests). */
  namespace?: string;
  /** Makes the namespace exist before the daemon enters it. */
  prepare?: () => Promise<void>;
  address?: string;
  port?: number;
  /** Performs what an instance's mount helper asks (absent: every such request is refused). */
  onMount?: (call: InstanceMountCall) => Promise<InstanceMountReply>;
}

export class MetadataServer {
  readonly name = "instance-metadata";
  readonly #options: MetadataServerOptions;
  #instances: readonly InstanceMetadata[] = [];
  #child: ChildProcess | undefined;

  constructor(options: MetadataServerOptions) {
    this.#options = options;
  }

  publish(instances: readonly InstanceMetadata[]): void {
    this.#instances = instances;
    if (this.#child?.connected) this.#child.send({ type: "instances", instances });
  }

  async start(): Promise<void> {
    const { namespace } = this.#options;
    const address = this.#options.address ?? metadataAddress;
    await this.#options.prepare?.();
    if (namespace) {
      await run("ip", ["-n", namespace, "link", "set", "lo", "up"]);
      await run("ip", ["-n", namespace, "addr", "replace", `${address}/32`, "dev", "lo"]);
    }
    const node = [process.execPath, daemonPath, JSON.stringify({ address, port: this.#options.port ?? 80 })];
    const [program, ...args] = namespace ? ["ip", "netns", "exec", namespace, ...node] : node;
    const child = spawn(program!, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.#child = child;
    child.on("message", (message: { type?: string; id?: number; call?: InstanceMountCall }) => {
      if (message?.type === "mount-call" && message.call) void this.#mountCall(child, message.id ?? 0, message.call);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(unavailable(`Cannot start the instance metadata service: it did not answer within ${readyTimeoutMs} ms`));
      }, readyTimeoutMs);
      child.on("message", (message: { type?: string }) => {
        if (message?.type !== "ready") return;
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(unavailable(`Cannot start the instance metadata service: it exited with code ${code}`));
      });
    });
    this.publish(this.#instances);
  }

  async #mountCall(child: ChildProcess, id: number, call: InstanceMountCall): Promise<void> {
    const handler = this.#options.onMount;
    const reply = handler
      ? await handler(call).catch((error: unknown): InstanceMountReply => ({ exitCode: 32, stderr: `mount: Moor failed: ${error instanceof Error ? error.message : String(error)}` }))
      : { exitCode: 32, stderr: "mount: Moor does not serve mounts here" };
    if (child.connected) child.send({ type: "mount-reply", id, reply });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}
