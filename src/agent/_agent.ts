// The node agent as a component: it watches the store for the Nodes it serves (label
// moor.dev/agent=<name>) and the Pods bound to them, runs one worker per pod, heartbeats its
// nodes, and notices container exits. Stopping it leaves sandboxes running: the next agent
// re-adopts them from the pod directories (upstream's kubelet restart behaves the same way).

import type { MoorConfig } from "../config/mod.js";
import { createRecorder } from "../events/mod.js";
import type { Store, StoredObject, WatchEvent } from "../store/mod.js";
import { cpus } from "node:os";
import { join } from "node:path";
import { unmountBelow } from "../engines/hostmounts/mod.js";
import { command } from "./command/mod.js";
import { ensureBusybox, ImageStore } from "./images/mod.js";
import { VpcNetwork } from "./network/mod.js";
import { AgentLayout, heartbeatNode, isServedBy } from "./node/mod.js";
import { createImageService, Limiter, loadStates, PodWorker, startProbes, type AgentContext, type Timing } from "./pods/mod.js";
import { defaultLogLimits, removeCgroup, shimBinary, type LogLimits } from "./sandboxes/mod.js";
import type { VolumeProvider } from "./volumes/mod.js";

export interface NodeAgentOptions {
  store: Store;
  config: MoorConfig;
  volumes?: VolumeProvider;
  /** Serves the Nodes labelled moor.dev/agent=<name>; default "embedded". */
  agentName?: string;
  timing?: Partial<Timing>;
  heartbeatMs?: number;
  /** Container log rotation; default 10 MB, 5 files. */
  logs?: LogLimits;
  /** Registries (host[:port]) besides loopback ones that pulls may reach. */
  allowedRegistries?: string[];
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
  private readonly unsubscribe: (() => void)[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private runtimeVersion = "runc://unknown";

  constructor(private readonly options: NodeAgentOptions) {
    this.agentName = options.agentName ?? "embedded";
    this.layout = new AgentLayout(options.config.home);
    this.network = new VpcNetwork(options.config.home, options.config.region);
  }

  async start(): Promise<void> {
    const { store } = this.options;
    const shim = await shimBinary(this.layout.shimCache);
    this.images = new ImageStore(this.layout.images, async () => shim);
    await ensureBusybox(this.images);
    for (const orphan of await VpcNetwork.collectOrphans()) {
      removeCgroup(`/moor-${orphan.digest}`);
      await unmountBelow(join(orphan.home, "pods"));
    }
    await this.network.ensureVpc();
    const version = await command("runc", ["--version"]);
    this.runtimeVersion = `runc://${/runc version (\S+)/.exec(version.stdout)?.[1] ?? "unknown"}`;
    const recorder = createRecorder(store, { component: "kubelet", host: this.agentName });
    const images = createImageService(store, this.images, recorder, this.options.allowedRegistries ?? []);
    this.context = {
      store,
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
    this.adopt();
    const revision = store.revision();
    for (const node of store.list("Node").items) this.onNode({ type: "ADDED", object: node, revision });
    for (const pod of store.list("Pod").items) this.onPod({ type: "ADDED", object: pod, revision });
    const later = (handle: (event: WatchEvent) => void) => (event: WatchEvent) => setImmediate(() => handle(event));
    this.unsubscribe.push(store.watch({ kind: "Node", fromRevision: revision }, later((event) => this.onNode(event))));
    this.unsubscribe.push(store.watch({ kind: "Pod", fromRevision: revision }, later((event) => this.onPod(event))));
    this.timers.push(setInterval(() => this.heartbeat(), this.options.heartbeatMs ?? 10_000));
    this.timers.push(
      setInterval(() => {
        for (const worker of this.workers.values()) if (worker.hasExited()) worker.trigger();
      }, exitCheckMs),
    );
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
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
  private adopt(): void {
    for (const state of loadStates(this.layout.pods)) {
      const worker = new PodWorker(this.context, state.uid, { namespace: state.namespace, name: state.name }, state);
      this.workers.set(state.uid, worker);
      const pod = this.options.store.get({ kind: "Pod", namespace: state.namespace, name: state.name });
      for (const container of pod?.spec?.containers ?? []) {
        const entry = state.containers[container.name];
        if (entry?.current) startProbes(worker, container, entry.started);
      }
      worker.trigger();
    }
  }

  private onNode(event: WatchEvent): void {
    const name = event.object.metadata.name;
    if (event.type === "DELETED" || !isServedBy(event.object, this.agentName)) {
      this.nodes.delete(name);
      return;
    }
    if (this.nodes.has(name)) return;
    this.nodes.add(name);
    this.beat(name);
    for (const pod of this.options.store.list("Pod").items) if (pod.spec?.nodeName === name) this.onPod({ type: "ADDED", object: pod, revision: event.revision });
  }

  private onPod(event: WatchEvent): void {
    const pod: StoredObject = event.object;
    const uid = pod.metadata.uid;
    if (!uid) return;
    let worker = this.workers.get(uid);
    if (!worker) {
      if (event.type === "DELETED" || !this.nodes.has(pod.spec?.nodeName)) return;
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
    try {
      heartbeatNode(this.options.store, name, { runtimeVersion: this.runtimeVersion, now: () => new Date() });
    } catch (error) {
      console.error(`moor agent: heartbeat of node "${name}" failed:`, error);
    }
  }
}
