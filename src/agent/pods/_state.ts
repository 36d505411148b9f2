// What the agent knows about one pod, kept on disk (pods/<uid>/state.json) so a restarted agent
// re-adopts its sandbox and containers: where it is wired, its size, and each container's run.

import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Terminated {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

export interface ContainerRun {
  id: string;
  startedAt: string;
  imageId: string;
  logFile: string;
  cgroupPath: string;
}

export interface ContainerRecord {
  name: string;
  init: boolean;
  restartCount: number;
  current?: ContainerRun;
  waiting?: { reason: string; message?: string };
  terminated?: Terminated;
  lastTerminated?: Terminated;
  /** Epoch ms before which the container is not started again (back-off). */
  notBefore?: number;
  backoffMs?: number;
  imageId?: string;
  ready: boolean;
  started: boolean;
  /** Set when the agent killed it (liveness failure, deletion) so the exit is not a crash. */
  killedFor?: string;
}

export interface PodState {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  fargate: boolean;
  subnetId: string;
  staticIp?: string;
  ip?: string;
  hostIp?: string;
  sandboxReady: boolean;
  sandboxRemoved?: boolean;
  size: { cpuMillis?: number; memoryBytes?: number; annotation?: string };
  startTime: string;
  volumesReady: boolean;
  volumeRetryAt?: number;
  volumeBackoffMs?: number;
  containers: Record<string, ContainerRecord>;
  terminal?: "Succeeded" | "Failed";
}

export function saveState(podDir: string, state: PodState): void {
  mkdirSync(podDir, { recursive: true });
  const path = join(podDir, "state.json");
  writeFileSync(`${path}.tmp`, JSON.stringify(state));
  renameSync(`${path}.tmp`, path);
}

export function loadStates(podsDir: string): PodState[] {
  if (!existsSync(podsDir)) return [];
  const states: PodState[] = [];
  for (const uid of readdirSync(podsDir)) {
    try {
      states.push(JSON.parse(readFileSync(join(podsDir, uid, "state.json"), "utf8")) as PodState);
    } catch {
      // A pod directory without state was never started; the pod's next sync recreates it.
    }
  }
  return states;
}

export function record(state: PodState, name: string, init: boolean): ContainerRecord {
  state.containers[name] ??= { name, init, restartCount: 0, ready: false, started: false };
  return state.containers[name]!;
}

/** Whether a container recorded under the pods directory runs the image (by id or repo digest). */
export function imageInUse(podsDir: string, image: { id: string; repoDigests: string[] }): boolean {
  return loadStates(podsDir).some((state) =>
    Object.values(state.containers).some((entry) => entry.current && (entry.current.imageId === image.id || image.repoDigests.includes(entry.current.imageId))),
  );
}
