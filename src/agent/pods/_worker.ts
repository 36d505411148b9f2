// One pod's worker: level-triggered, one sync at a time. Each sync reads the pod, brings the
// host towards it (sandbox, volumes, init containers in order, app containers with restarts and
// back-off, probes), and writes the resulting status. Deletion and the end of the pod are in
// _pod-teardown.ts.

import type { Pod } from "../../domain/kube/mod.js";
import { removeContainer, readExit } from "../sandboxes/mod.js";
import type { AgentContext } from "./_context.js";
import { type ContainerRecord, type PodState, saveState } from "./_state.js";
import { ContainerProbes } from "./_probes.js";
import { oomKills } from "../sandboxes/mod.js";
import { initDone, podPhase } from "./_status.js";
import { ensureSandbox, ensureVolumes, newPodState } from "./_setup.js";
import { runContainer } from "./_run.js";
import { finishTerminal, publishStatus, terminatePod } from "./_teardown.js";
import type { PreparedVolume } from "../volumes/mod.js";

const retryMs = 2000;

export class PodWorker {
  state: PodState | undefined;
  readonly probes = new Map<string, ContainerProbes>();
  readonly volumes = new Map<string, PreparedVolume>();
  finished = false;
  private busy = false;
  private again = false;
  private wake: NodeJS.Timeout | undefined;
  private idle: Promise<void> = Promise.resolve();
  private settle: (() => void) | undefined;

  constructor(
    readonly context: AgentContext,
    readonly uid: string,
    readonly key: { namespace: string; name: string },
    state?: PodState,
  ) {
    this.state = state;
    // An adopted pod re-prepares its volumes to get the mount engine's handles back.
    if (state) state.volumesReady = false;
  }

  trigger(): void {
    if (this.finished) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.idle = new Promise((resolve) => (this.settle = resolve));
    void this.loop();
  }

  /** Resolves once no sync is running. */
  quiesce(): Promise<void> {
    return this.idle;
  }

  stop(): void {
    this.finished = true;
    if (this.wake) clearTimeout(this.wake);
    for (const probes of this.probes.values()) probes.stop();
    this.probes.clear();
  }

  /** Whether a running container has ended since the last sync (checked by the agent's ticker). */
  hasExited(): boolean {
    const state = this.state;
    if (!state) return false;
    return Object.values(state.containers).some((record) => record.current && readExit(this.containerDir(record.current.id)));
  }

  containerDir(id: string): string {
    return this.context.layout.containerDir(this.uid, id);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.sync();
      } catch (error) {
        console.error(`moor agent: syncing pod "${this.key.namespace}/${this.key.name}" failed:`, error);
        this.later(retryMs);
      }
    } while (this.again && !this.finished);
    this.busy = false;
    this.settle?.();
  }

  private later(delayMs: number): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = setTimeout(() => this.trigger(), Math.max(10, delayMs));
  }

  private async sync(): Promise<void> {
    const found = await this.context.port.pod(this.key.namespace, this.key.name);
    const pod = found && found.metadata.uid === this.uid ? found : undefined;
    if (!pod || pod.metadata.deletionTimestamp) {
      await terminatePod(this, pod);
      return;
    }
    this.state ??= await newPodState(this.context, pod);
    const state = this.state;
    if (!state.terminal) await this.advance(pod, state);
    if (!state.terminal) {
      const phase = podPhase(pod, state);
      if (phase === "Succeeded" || phase === "Failed") state.terminal = phase;
    }
    if (state.terminal) await finishTerminal(this);
    saveState(this.context.layout.podDir(this.uid), state);
    await publishStatus(this, pod);
    const next = Math.min(
      ...Object.values(state.containers).map((record) => (record.notBefore && !record.current ? record.notBefore : Infinity)),
      state.volumesReady ? Infinity : state.volumeRetryAt ?? Infinity,
    );
    if (Number.isFinite(next) && !state.terminal) this.later(next - Date.now());
  }

  private async advance(pod: Pod, state: PodState): Promise<void> {
    const starts = this.context.starts;
    if (!state.sandboxReady && !(await starts.run(() => ensureSandbox(this, pod, state)))) return this.later(retryMs);
    if (!(await ensureVolumes(this, pod, state))) return;
    await this.reapExits(pod, state);
    const inits = pod.spec?.initContainers ?? [];
    if (!initDone(pod, state)) {
      for (const container of inits) {
        const record = state.containers[container.name];
        if (record?.current) return;
        if (record?.terminated && !record.waiting) {
          if (record.terminated.exitCode === 0) continue;
          return;
        }
        await runContainer(this, pod, container, true);
        return;
      }
      return;
    }
    for (const container of pod.spec?.containers ?? []) {
      const record = state.containers[container.name];
      if (record?.current || (record?.terminated && !record.waiting)) continue;
      await runContainer(this, pod, container, false);
    }
  }

  /** Records the containers that ended, removes them, and plans their restarts. */
  async reapExits(pod: Pod, state: PodState): Promise<void> {
    for (const record of Object.values(state.containers)) {
      const run = record.current;
      if (!run) continue;
      const exit = readExit(this.containerDir(run.id));
      if (!exit) continue;
      const oom = oomKills(run.cgroupPath) > 0;
      this.probes.get(record.name)?.stop();
      this.probes.delete(record.name);
      await removeContainer(this.context.layout, this.containerDir(run.id), run.id);
      const reason = oom ? "OOMKilled" : exit.exitCode === 0 ? "Completed" : "Error";
      if (oom) this.context.recorder.record(pod, "Warning", "OOMKilling", `Memory cgroup out of memory: Killed process in container ${record.name}`);
      const terminated = { exitCode: exit.exitCode, ...(exit.signal ? { signal: exit.signal } : {}), reason, startedAt: run.startedAt, finishedAt: exit.finishedAt, containerID: `runc://${run.id}` };
      record.current = undefined;
      record.ready = false;
      record.started = false;
      this.planRestart(pod, record, terminated, Date.parse(exit.finishedAt) - Date.parse(run.startedAt));
    }
  }

  planRestart(pod: Pod, record: ContainerRecord, terminated: NonNullable<ContainerRecord["terminated"]>, ranMs: number): void {
    const policy = pod.spec?.restartPolicy ?? "Always";
    const restart = record.init ? terminated.exitCode !== 0 && policy !== "Never" : policy === "Always" || (policy === "OnFailure" && terminated.exitCode !== 0);
    if (!restart || this.state?.terminal || pod.metadata.deletionTimestamp) {
      record.terminated = terminated;
      record.waiting = undefined;
      return;
    }
    const { backoffBaseMs, backoffMaxMs } = this.context.timing;
    // A container that ran for a while starts over with no back-off, as the kubelet does.
    if (ranMs > 2 * backoffMaxMs) record.backoffMs = 0;
    const delayMs = record.backoffMs ?? 0;
    record.backoffMs = delayMs === 0 ? backoffBaseMs : Math.min(delayMs * 2, backoffMaxMs);
    record.lastTerminated = terminated;
    record.terminated = undefined;
    record.notBefore = Date.now() + delayMs;
    const { namespace, name, uid } = pod.metadata;
    record.waiting = {
      reason: "CrashLoopBackOff",
      message: `back-off ${Math.round(delayMs / 1000)}s restarting failed container=${record.name} pod=${name}_${namespace}(${uid})`,
    };
    if (delayMs > 0) this.context.recorder.record(pod, "Warning", "BackOff", `Back-off restarting failed container ${record.name} in pod ${name}_${namespace}(${uid})`);
  }
}
