// Starts the metadata daemon inside the VPC's network namespace (`ip netns exec`), with
// 169.254.169.254 and 169.254.170.2 on the namespace's loopback, sends it every published
// instance and task set, and answers its requests for task-role credentials and for the mounts
// instances' mount helpers ask for.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unavailable } from "../../errors/mod.js";
import { type TaskMetadata, taskMetadataAddress } from "../../domain/ecs/mod.js";
import type { InstanceMetadata } from "./_answer.js";
import type { InstanceMountCall, InstanceMountReply } from "./_mounts.js";
import type { CredentialsRequest, TaskCredentials } from "./_task-answer.js";

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
  /** The task metadata endpoint's address; none in tests on the host. */
  taskAddress?: string;
  port?: number;
  /** Issues a role's credentials (Moor's STS) for a task or an instance; without it, credentials requests fail. */
  issueCredentials?: (request: CredentialsRequest) => TaskCredentials;
  /** Performs what an instance's mount helper asks (absent: every such request is refused). */
  onMount?: (call: InstanceMountCall) => Promise<InstanceMountReply>;
}

export class MetadataServer {
  readonly name = "instance-metadata";
  readonly #options: MetadataServerOptions;
  #instances: readonly InstanceMetadata[] = [];
  #tasks: readonly TaskMetadata[] = [];
  #child: ChildProcess | undefined;

  constructor(options: MetadataServerOptions) {
    this.#options = options;
  }

  publish(instances: readonly InstanceMetadata[]): void {
    this.#instances = instances;
    if (this.#child?.connected) this.#child.send({ type: "instances", instances });
  }

  publishTasks(tasks: readonly TaskMetadata[]): void {
    this.#tasks = tasks;
    if (this.#child?.connected) this.#child.send({ type: "tasks", tasks });
  }

  #answerIssue(child: ChildProcess, message: { type?: string; requestId?: number } & Partial<CredentialsRequest>): void {
    if (message?.type !== "issue-credentials") return;
    let issued: TaskCredentials | { error: string };
    try {
      if (!this.#options.issueCredentials) throw new Error("this Moor issues no role credentials");
      issued = this.#options.issueCredentials({ roleArn: String(message.roleArn), sessionName: String(message.sessionName) });
    } catch (error) {
      issued = { error: error instanceof Error ? error.message : String(error) };
    }
    if (child.connected) child.send({ type: "credentials", requestId: message.requestId, issued });
  }

  async start(): Promise<void> {
    const { namespace } = this.#options;
    const address = this.#options.address ?? metadataAddress;
    const taskAddress = this.#options.taskAddress ?? (namespace ? taskMetadataAddress : undefined);
    await this.#options.prepare?.();
    if (namespace) {
      await run("ip", ["-n", namespace, "link", "set", "lo", "up"]);
      for (const local of [address, ...(taskAddress ? [taskAddress] : [])]) await run("ip", ["-n", namespace, "addr", "replace", `${local}/32`, "dev", "lo"]);
    }
    const node = [process.execPath, daemonPath, JSON.stringify({ address, taskAddress, port: this.#options.port ?? 80 })];
    // nsenter, not `ip netns exec`: that one remounts /sys for the namespace, which hides the
    // host's cgroups the task stats are read from; only the network namespace is entered.
    const [program, ...args] = namespace ? ["nsenter", `--net=/run/netns/${namespace}`, "--", ...node] : node;
    const child = spawn(program!, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.#child = child;
    child.on("message", (message: { type?: string; id?: number; call?: InstanceMountCall }) => {
      if (message?.type === "mount-call" && message.call) void this.#mountCall(child, message.id ?? 0, message.call);
      else this.#answerIssue(child, message);
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
    this.publishTasks(this.#tasks);
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
