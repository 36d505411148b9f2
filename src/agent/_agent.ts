// The node agent as a component: it subscribes, through its port, to the Nodes it serves (label
// moor.dev/agent=<name>) and the Pods bound to them, runs one worker per pod, heartbeats its
// nodes, and notices container exits. Stopping it leaves sandboxes running: the next agent
// re-adopts them from the pod directories (upstream's kubelet restart behaves the same way).

import type { Container, Pod } from "../domain/kube/mod.js";
import type { MoorConfig } from "../config/mod.js";
import { cpus } from "node:os";
import { join } from "node:path";
import { unmountBelow } from "../engines/hostmounts/mod.js";
import { command } from "../engines/command/mod.js";
import { ensureBusybox, ImageStore, type RegistryAccess } from "../engines/images/mod.js";
import { VpcNetwork } from "./network/mod.js";
import { AgentLayout, heartbeatNode } from "./node/mod.js";
import type { AgentPort, BoundEvent, Subscription } from "./port/mod.js";
import { createImageService, Limiter, loadStates, PodWorker, startProbes, type AgentContext, type Timing } from "./pods/mod.js";
import { defaultLogLimits, killCgroup, removeCgroup, shimBinary, type LogLimits } from "./sandboxes/mod.js";
import type { VolumeProvider } from "./volumes/mod.js";

export interface NodeAgentOptions {
  /** The control plane, as this agent sees it; the agent serves the port's agentName. */
  port: AgentPort;
  config: MoorConfig;
  volumes?: VolumeProvider;
  timing?: Partial<Timing>;
  heartbeatMs?: number;
  /** Container log rotation; default 10 MB, 5 files. */
  logs?: LogLimits;
  /** Registries (host[:port]) besides loopback ones that pulls may reach. */
  allowedRegistries?: string[];
  /** Registries Moor serves itself (ECR), reached at their own address with Moor's credentials. */
  registryAccess?: RegistryAccess;
}

const exitCheckMs = 100;

export class NodeAgent {
  readonly name = "node-agent";
  readonly agentName: string;
  readonly layout: AgentLayout;
  readonly network: VpcNetwork;
  readonly workers = new Map<string, PodWorker>();
  images!: ImageStore;
  context!: AgentContext;
  private readonly nodes = new Set<string>();
  private subscription: Subscription | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private runtimeVersion = "runc://unknown";

  constructor(private readonly options: NodeAgentOptions) {
    this.agentName = options.port.agentName;
    this.layout = new AgentLayout(options.config.home);
    this.network = new VpcNetwork(options.config.home, options.config.region);
  }

  async start(): Promise<void> {
    const { port } = this.options;
    const shim = await shimBinary(this.layout.shimCache);
    this.images = new ImageStore(this.layout.images, async () => shim);
    await ensureBusybox(this.images);
    for (const orphan of await VpcNetwork.collectOrphans()) {
      // Its data directory is gone: what still runs in its sandboxes is killed, not adopted.
      const left = await killCgroup(`/moor-${orphan.digest}`);
      if (left.length > 0) console.error(`moor agent: processes ${left.join(", ")} of a removed data directory would not die`);
      await unmountBelow(join(orphan.home, "pods"));
    }
    await this.network.ensureVpc();
    const version = await command("runc", ["--version"]);
    this.runtimeVersion = `runc://${/runc version (\S+)/.exec(version.stdout)?.[1] ?? "unknown"}`;
    // An event only reports: a failure to record it never fails what it reports.
    const recorder: AgentContext["recorder"] = {
      record: (object, type, reason, message) =>
        void port.recordEvent(object, type, reason, message).catch((error) => console.error(`moor agent: recording event ${reason} failed:`, error)),
    };
    const images = createImageService(port, this.images, recorder, { allowed: this.options.allowedRegistries ?? [], access: this.options.registryAccess });
    this.context = {
      port,
      layout: this.layout,
      network: this.network,
      images: this.images,
      shim,
      recorder,
      volumes: this.options.volumes,
      region: this.options.config.region,
      timing: { backoffBaseMs: 10_000, backoffMaxMs: 300_000, killWaitMs: 5_000, ...this.options.timing },
      ensureImage: (pod, container) => images.ensure(pod, container),
      logs: this.options.logs ?? defaultLogLimits,
      starts: new Limiter(Math.max(2, cpus().length)),
    };
    await this.adopt();
    this.subscription = await port.subscribe((event) => (event.kind === "Node" ? this.onNode(event) : this.onPod(event)));
    this.timers.push(setInterval(() => this.heartbeat(), this.options.heartbeatMs ?? 10_000));
    this.timers.push(
      setInterval(() => {
        for (const worker of this.workers.values()) if (worker.hasExited()) worker.trigger();
      }, exitCheckMs),
    );
  }

  async stop(): Promise<void> {
    this.subscription?.close();
    this.subscription = undefined;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    const workers = [...this.workers.values()];
    for (const worker of workers) worker.stop();
    await Promise.all(workers.map((worker) => worker.quiesce()));
    this.workers.clear();
    // With no sandbox left, nothing of this Moor stays on the host; otherwise all of it stays
    // for the next agent to re-adopt.
    const live = loadStates(this.layout.pods).some((state) => state.sandboxReady && !state.sandboxRemoved);
    if (!live) {
      await this.network.remove();
      removeCgroup(`/${this.layout.cgroupParent}`);
    }
  }

  /** Picks up the pods a previous agent left running, with their containers' probes. */
  private async adopt(): Promise<void> {
    for (const state of loadStates(this.layout.pods)) {
      const worker = new PodWorker(this.context, state.uid, { namespace: state.namespace, name: state.name }, state);
      this.workers.set(state.uid, worker);
      const pod = await this.options.port.pod(state.namespace, state.name);
      for (const container of pod?.spec?.containers ?? []) {
        const entry = state.containers[container.name];
        if (entry?.current) startProbes(worker, container, entry.started);
      }
      worker.trigger();
    }
  }

  /** The port delivers only served nodes, and the pods of a newly served node after it. */
  private onNode(event: BoundEvent): void {
    const name = event.object.metadata.name;
    if (event.type === "DELETED") {
      this.nodes.delete(name);
      return;
    }
    if (this.nodes.has(name)) return;
    this.nodes.add(name);
    this.beat(name);
  }

  private onPod(event: Extract<BoundEvent, { kind: "Pod" }>): void {
    const pod = event.object;
    const uid = pod.metadata.uid;
    if (!uid) return;
    let worker = this.workers.get(uid);
    if (!worker) {
      if (event.type === "DELETED" || !this.nodes.has(pod.spec?.nodeName ?? "")) return;
      worker = new PodWorker(this.context, uid, { namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name });
      this.workers.set(uid, worker);
    }
    worker.trigger();
    if (worker.finished) this.workers.delete(uid);
    void worker.quiesce().then(() => {
      if (worker!.finished) this.workers.delete(uid);
    });
  }

  private heartbeat(): void {
    for (const name of this.nodes) this.beat(name);
  }

  private beat(name: string): void {
    heartbeatNode(this.options.port, name, { runtimeVersion: this.runtimeVersion, now: () => new Date() }).catch((error) =>
      console.error(`moor agent: heartbeat of node "${name}" failed:`, error),
    );
  }
}
